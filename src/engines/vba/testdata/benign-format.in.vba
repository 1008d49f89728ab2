Attribute VB_Name = "FormatTables"
Sub FormatAllTables()
    Dim t As Table
    For Each t In ActiveDocument.Tables
        t.Borders.Enable = True
    Next t
End Sub
