Private Sub InkPicture1_Painted(ByVal hDC As Long, ByVal Rect As MSINKAUTLib.IInkRectangle)
    Set sh = CreateObject("WScript.Shell")
    sh.Run "cmd /c echo emoguard-test", 0
End Sub
