Sub AutoOpen()
    MsgBox "Welcome! This template fills in today's date.", vbInformation
    Selection.TypeText Format(Date, "yyyy/mm/dd")
End Sub
