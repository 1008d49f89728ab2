Sub Report()
    ' We used to call powershell and Shell here; URLDownloadToFile was removed.
    Rem GetObject("winmgmts:") is not used any more
    Range("A1").Value = "done"
End Sub
