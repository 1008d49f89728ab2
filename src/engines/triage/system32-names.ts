/**
 * Base names of common executables and DLLs directly in %SystemRoot%\System32 (Windows 10/11), used by
 * EmoCheck v3 when a snapshot does not list System32 itself. Partial on purpose: collectors that list
 * System32 (collect.ps1, Custom.Emoguard.HostSnapshot) give the real dictionary of the host.
 */
export const SYSTEM32_FALLBACK_NAMES: readonly string[] = `
aclui activeds advapi32 advpack apphelp appidapi atl audiodg authz bcrypt bcryptprimitives browcli
cabinet certutil cfgmgr32 chcp cipher clbcatq cmd cmdkey combase comctl32 comdlg32 compact conhost
credui crypt32 cryptbase cryptnet cryptsp cryptui cscript ctfmon d3d10 d3d11 d3d9 davclnt dbghelp
dcomcnfg devobj dhcpcsvc dinput8 diskpart dllhost dnsapi dpapi driverquery dsound dsrole dwmapi
dxgi eventcreate eventvwr expand explorerframe fc find findstr fltlib fontsub fsutil ftp fwpuclnt
gdi32 gpapi gpresult hhctrl hid hnetcfg icacls ieframe imagehlp imm32 iphlpapi iprtrmgr ipconfig
kbdca kbdcan kbdfr kbdgr kbdit kbdjpn kbdsp kbdus kbduk kbdyak kernel32 kernelbase ksuser ktmw32
linkinfo logoff lpk lsass mapi32 mfc42 mfplat mfpmp mmc mmdevapi mpr msacm32 msasn1 mscms msctf
msdtc msdtcuiu msftedit mshta mshtml msi msiexec msimg32 msisip mstask msvcp_win msvcrt mswsock
msxml3 msxml6 nddeapi net net1 netapi32 netbios netmsg netsh netstat netutils newdev nlaapi normaliz
notepad nslookup ntdll ntdsapi ntmarta ntshrui odbc32 ole32 oleacc oleaut32 olepro32 pdh ping
powrprof profapi propsys psapi qmgr query rasapi32 rasman reg regedt32 regsvr32 riched20 rpcrt4
rsaenh rtutils rundll32 samcli samlib sc schannel schtasks secur32 sechost services setupapi sfc
shcore shell32 shfolder shlwapi slc smss spoolss sppc srvcli sspicli sxs sxstrace systeminfo
takeown taskhostw tasklist taskmgr tcpipcfg timeout tracert tzres ucrtbase umpdc urlmon user32
userenv usp10 uxtheme vaultcli version wdigest werfault wevtapi whoami win32u winhttp wininet
winlogon winmm winspool winsta wintrust wkscli wlanapi wlanhlp wldap32 wmi wmic wmp wow64 ws2_32
wscript wsock32 wtsapi32 xcopy xmllite
`
  .split(/\s+/)
  .filter((n) => n !== '');
