/*
 * emoguard's own rules for Office droppers (steps 3-5), written here from public descriptions of Emotet
 * campaigns. They look for the dropper's text where emoguard's parsers cannot read it: process memory,
 * SYLK and other text forms, carved or damaged documents.
 *
 * External variables (declared by emoguard for every scan, as LOKI and THOR do): filetype is emoguard's
 * content type. Plain VBA source (filetype "vba-source") and decoded PowerShell ("powershell") are left
 * to the vba and powershell engines, which parse them and report the same chain with line numbers.
 * Tests: src/apps/yara-backend/bundled-rules.test.ts (a match and a near miss for every rule).
 *
 * Performance (measured with YARA-X 1.x, see bench/yara.bench.ts): adding `wide` strings to this rule
 * set made the scan of zero-filled memory 50-100x slower (10 GB/s -> 50-250 MB/s), and memory dumps are
 * full of zero pages. So the bundled rules are ASCII only; UTF-16 copies of these texts (command lines
 * in a process environment block, registry values) are not covered by them.
 */

rule Emoguard_Macro_WMI_Win32_Process_Encoded_PowerShell
{
    meta:
        description = "Macro text that starts PowerShell with an encoded command through WMI Win32_Process (Emotet documents 2019-2022)"
        author = "emoguard"
        severity = "high"
        step = "4"
        attack = "T1047 T1059.005 T1059.001 T1027"
        reference = "https://attack.mitre.org/techniques/T1047/"

    strings:
        $wmi = "Win32_Process" nocase
        $enc = /powershell(\.exe)?["' ][^\r\n]{0,64}-e(nc?|ncodedcommand)? +["']?[A-Za-z0-9+\/]{16}/ nocase

    condition:
        filetype != "vba-source" and filetype != "powershell" and $wmi and $enc
}

rule Emoguard_XLM_Register_Call_Urlmon_Download
{
    meta:
        description = "Excel 4.0 (XLM) macro formulas that declare or call urlmon URLDownloadToFileA (Emotet XLS droppers 2020-2022)"
        author = "emoguard"
        severity = "high"
        step = "5"
        attack = "T1204.002 T1105"
        reference = "https://attack.mitre.org/techniques/T1105/"

    strings:
        // Formulas appear with "=" in memory and cell text, without it in SYLK "E" fields and <f> elements;
        // SYLK doubles the quotes.
        $call = /(CALL|REGISTER)\( *"{0,2}urlmon"{0,2} *, *"{0,2}URLDownloadToFile/ nocase
        $exec = /EXEC\( *"{0,2}(regsvr32|rundll32|cmd|powershell|mshta)/ nocase
        $auto = "Auto_Open" nocase

    condition:
        $call and ($exec or $auto)
}

rule Emoguard_XLM_Exec_Proxy_Binary_Relative_Path
{
    meta:
        description = "Excel 4.0 (XLM) EXEC of regsvr32/rundll32 on a file written beside the workbook (..\\name.ext), the 2021-2022 Emotet XLS loader step"
        author = "emoguard"
        severity = "high"
        step = "5"
        attack = "T1204.002 T1218.010 T1218.011"
        reference = "https://attack.mitre.org/techniques/T1218/010/"

    strings:
        $exec = /EXEC\( *"{0,2}(regsvr32|rundll32)(\.exe)? +(\/s +)?\.\.\\[^\\"\r\n]{1,32}\.[^\\"\r\n ]{1,8}/ nocase

    condition:
        $exec
}

rule Emoguard_PowerShell_Url_List_Download_Loop
{
    meta:
        description = "PowerShell that splits a list of URLs and tries each one with WebClient until a download is large enough, then runs it (Emotet stage 2, 2018-2020)"
        author = "emoguard"
        severity = "high"
        step = "5"
        attack = "T1059.001 T1105"
        reference = "https://attack.mitre.org/techniques/T1105/"

    strings:
        $split = /\.Split\( *\[?(char\]|'|")/ nocase
        $foreach = /foreach *\( *\$[A-Za-z0-9_]+ +in +\$[A-Za-z0-9_]+ *\)/ nocase
        $dl = /Net\.WebClient|DownloadFile|Invoke-WebRequest/ nocase
        $size = /\.length +-ge +[0-9]{4,}/ nocase
        $run = /Invoke-Item|Process\]::Start|Start-Process|rundll32/ nocase

    condition:
        filetype != "powershell" and $split and $foreach and $dl and $size and $run
}
