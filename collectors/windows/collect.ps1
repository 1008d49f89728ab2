<#
.SYNOPSIS
    Writes an emoguard host snapshot (JSON) for `emoguard triage`.

.DESCRIPTION
    Read-only. Lists what JPCERT/CC's EmoCheck and emoguard's triage look at, and changes nothing:
      - the serial number of the system volume (Emotet 2019-2020 derives its names from it);
      - processes (Win32_Process: PID, name, image path, command line, parent PID, start time);
      - Run/RunOnce values of HKLM, HKLM\WOW6432Node, HKCU and every loaded user hive (HKU\<SID>);
      - the Explorer values named like a volume serial (EmoCheck v2's XOR-encoded Emotet name);
      - services (binary path, ServiceDll), scheduled tasks (Exec actions);
      - files one and two levels below each profile's %LOCALAPPDATA% and %APPDATA%, Temp, the system
        profile, and SysWOW64 (System32 on 32-bit Windows) with sizes, times and whether they start "MZ";
      - names and sizes of the executables and DLLs in System32 (EmoCheck v3's dictionary);
      - folder names under %APPDATA% and Program Files (EmoCheck v4's allowlist);
      - the IP addresses and MAC of each IP-enabled network adapter (as ipconfig /all shows them).
    Schema: collectors/README.md. PowerShell 5.1 and later. Run it elevated in 64-bit PowerShell to see
    every process path, every loaded user hive and the real System32.

.PARAMETER OutFile
    Where to write the snapshot. Default: .\<COMPUTERNAME>_snapshot.json

.PARAMETER RecentDays
    Files inside SysWOW64's subfolders are listed only for folders written in the last N days (90).

.PARAMETER MaxFiles
    Stop listing files after this many entries (100000); the snapshot then says so in collector.warnings.

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File collect.ps1 -OutFile \\fs01\triage\$env:COMPUTERNAME.json
    emoguard triage \\fs01\triage\
#>
[CmdletBinding()]
param(
    [string]$OutFile = ('{0}_snapshot.json' -f $env:COMPUTERNAME),
    [int]$RecentDays = 90,
    [int]$MaxFiles = 100000
)

Set-StrictMode -Version 1.0
$ErrorActionPreference = 'Stop'

$script:warnings = New-Object System.Collections.Generic.List[string]
$script:registry = New-Object System.Collections.Generic.List[object]
$script:files = New-Object System.Collections.Generic.List[object]
$script:fileLimitHit = $false

function ConvertTo-IsoTime {
    param([object]$Time)
    if ($null -eq $Time) { return $null }
    return ([DateTime]$Time).ToUniversalTime().ToString('o')
}

# --- volume serial (GetVolumeInformation of the Windows drive, as EmoCheck reads it) -------------------
function Get-SystemVolumeSerial {
    try {
        $disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='{0}'" -f $env:SystemDrive)
        return [string]$disk.VolumeSerialNumber
    } catch {
        $script:warnings.Add('volume serial: ' + $_.Exception.Message)
        return $null
    }
}

# --- processes ---------------------------------------------------------------------------------------
function Get-ProcessList {
    $list = New-Object System.Collections.Generic.List[object]
    foreach ($p in @(Get-CimInstance -ClassName Win32_Process)) {
        $list.Add([ordered]@{
            pid         = [long]$p.ProcessId
            name        = [string]$p.Name
            path        = [string]$p.ExecutablePath
            commandLine = [string]$p.CommandLine
            parentPid   = [long]$p.ParentProcessId
            createdAt   = (ConvertTo-IsoTime $p.CreationDate)
        })
    }
    return , $list
}

# --- registry ----------------------------------------------------------------------------------------
$KindNames = @{
    'String' = 'REG_SZ'; 'ExpandString' = 'REG_EXPAND_SZ'; 'Binary' = 'REG_BINARY'; 'DWord' = 'REG_DWORD'
    'MultiString' = 'REG_MULTI_SZ'; 'QWord' = 'REG_QWORD'; 'None' = 'REG_NONE'; 'Unknown' = 'REG_UNKNOWN'
}

function Add-RegistryValues {
    param([string]$ProviderPath, [string]$DisplayKey, [string]$NamePattern)
    $key = Get-Item -LiteralPath $ProviderPath -ErrorAction SilentlyContinue
    if ($null -eq $key) { return }
    foreach ($name in $key.GetValueNames()) {
        if ($NamePattern -and ($name -notmatch $NamePattern)) { continue }
        try {
            $kind = [string]$key.GetValueKind($name)
            $raw = $key.GetValue($name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
            if ($kind -eq 'Binary') {
                $data = (@($raw) | ForEach-Object { ([byte]$_).ToString('x2') }) -join ''
            } elseif ($kind -eq 'MultiString') {
                $data = (@($raw) -join "`n")
            } else {
                $data = [string]$raw
            }
            $type = $KindNames[$kind]
            if ($null -eq $type) { $type = 'REG_' + $kind.ToUpperInvariant() }
            $script:registry.Add([ordered]@{ key = $DisplayKey; name = [string]$name; type = $type; data = $data })
        } catch {
            $script:warnings.Add(('registry {0}\{1}: {2}' -f $DisplayKey, $name, $_.Exception.Message))
        }
    }
}

function Get-RegistryRoots {
    # (provider path, display prefix) of HKLM, HKCU and every loaded user hive.
    $roots = @(@('HKLM:\SOFTWARE', 'HKLM\SOFTWARE'), @('HKCU:\Software', 'HKCU\Software'))
    foreach ($hive in @(Get-ChildItem -LiteralPath 'Registry::HKEY_USERS' -ErrorAction SilentlyContinue)) {
        if ($hive.PSChildName -match '^S-1-5-21-[\d-]+$') {
            $roots += , @(('Registry::HKEY_USERS\{0}\Software' -f $hive.PSChildName), ('HKU\{0}\Software' -f $hive.PSChildName))
        }
    }
    return $roots
}

function Get-RegistrySnapshot {
    $runKeys = @('Run', 'RunOnce', 'Policies\Explorer\Run')
    foreach ($root in Get-RegistryRoots) {
        foreach ($view in @('', 'WOW6432Node\')) {
            $base = '{0}\{1}Microsoft\Windows\CurrentVersion' -f $root[0], $view
            $shown = '{0}\{1}Microsoft\Windows\CurrentVersion' -f $root[1], $view
            foreach ($run in $runKeys) { Add-RegistryValues ('{0}\{1}' -f $base, $run) ('{0}\{1}' -f $shown, $run) '' }
            # EmoCheck v2: a REG_BINARY value named by the volume serial in hex.
            Add-RegistryValues ('{0}\Explorer' -f $base) ('{0}\Explorer' -f $shown) '^[0-9A-Fa-f]{1,8}$'
        }
    }
    return , $script:registry
}

# --- services and scheduled tasks --------------------------------------------------------------------
function Get-ServiceList {
    $list = New-Object System.Collections.Generic.List[object]
    foreach ($s in @(Get-CimInstance -ClassName Win32_Service)) {
        $dll = ''
        $params = Get-ItemProperty -LiteralPath ('HKLM:\SYSTEM\CurrentControlSet\Services\{0}\Parameters' -f $s.Name) -ErrorAction SilentlyContinue
        if ($null -ne $params -and $null -ne $params.PSObject.Properties['ServiceDll']) { $dll = [string]$params.ServiceDll }
        $list.Add([ordered]@{
            name        = [string]$s.Name
            displayName = [string]$s.DisplayName
            binaryPath  = [string]$s.PathName
            serviceDll  = $dll
            startType   = [string]$s.StartMode
            state       = [string]$s.State
            account     = [string]$s.StartName
        })
    }
    return , $list
}

function Get-TaskList {
    $list = New-Object System.Collections.Generic.List[object]
    if ($null -eq (Get-Command -Name Get-ScheduledTask -ErrorAction SilentlyContinue)) {
        $script:warnings.Add('scheduled tasks: Get-ScheduledTask is not available (Windows 7); tasks not listed')
        return , $list
    }
    foreach ($t in @(Get-ScheduledTask -ErrorAction SilentlyContinue)) {
        $exec = @($t.Actions | Where-Object { $null -ne $_.PSObject.Properties['Execute'] -and $_.Execute })
        $command = ''
        $arguments = ''
        if ($exec.Count -gt 0) {
            $command = [string]$exec[0].Execute
            $arguments = [string]$exec[0].Arguments
        }
        $list.Add([ordered]@{
            name      = [string]$t.TaskPath + [string]$t.TaskName
            command   = $command
            arguments = $arguments
            enabled   = ([string]$t.State -ne 'Disabled')
            userId    = [string]$t.Principal.UserId
            author    = [string]$t.Author
        })
    }
    return , $list
}

# --- files -------------------------------------------------------------------------------------------
function Test-MzHeader {
    param([string]$Path)
    try {
        $stream = [System.IO.File]::Open($Path, 'Open', 'Read', 'ReadWrite, Delete')
        try {
            $buffer = New-Object byte[] 2
            $read = $stream.Read($buffer, 0, 2)
            return ($read -eq 2 -and $buffer[0] -eq 0x4D -and $buffer[1] -eq 0x5A)
        } finally {
            $stream.Dispose()
        }
    } catch {
        return $null
    }
}

function Add-FileEntry {
    param([System.IO.FileSystemInfo]$Item, [bool]$ReadMagic)
    if ($script:files.Count -ge $MaxFiles) { $script:fileLimitHit = $true; return }
    $isDir = [bool]($Item.Attributes -band [System.IO.FileAttributes]::Directory)
    $size = $null
    $isPe = $null
    if (-not $isDir) {
        $size = [long]$Item.Length
        if ($ReadMagic -and $size -ge 64) { $isPe = Test-MzHeader $Item.FullName }
    }
    $script:files.Add([ordered]@{
        path  = $Item.FullName
        size  = $size
        mtime = $Item.LastWriteTimeUtc.ToString('o')
        ctime = $Item.CreationTimeUtc.ToString('o')
        isDir = $isDir
        isPe  = $isPe
    })
}

function Get-Children {
    param([string]$Path)
    # Junctions ("Application Data" ...) loop back into the profile: skip reparse points.
    return @(Get-ChildItem -LiteralPath $Path -Force -ErrorAction SilentlyContinue |
        Where-Object { -not ($_.Attributes -band [System.IO.FileAttributes]::ReparsePoint) })
}

function Add-TwoLevels {
    param([string]$Root, [int]$OnlyFoldersNewerThanDays = 0)
    if (-not (Test-Path -LiteralPath $Root)) { return }
    $cutoff = (Get-Date).ToUniversalTime().AddDays(-$OnlyFoldersNewerThanDays)
    foreach ($first in Get-Children $Root) {
        Add-FileEntry $first $false
        $isDir = [bool]($first.Attributes -band [System.IO.FileAttributes]::Directory)
        if (-not $isDir) { continue }
        if ($OnlyFoldersNewerThanDays -gt 0 -and $first.LastWriteTimeUtc -lt $cutoff) { continue }
        foreach ($second in Get-Children $first.FullName) { Add-FileEntry $second $true }
    }
}

function Get-ProfilePaths {
    $paths = @()
    foreach ($p in @(Get-CimInstance -ClassName Win32_UserProfile -ErrorAction SilentlyContinue)) {
        if (-not $p.Special -and $p.LocalPath) { $paths += [string]$p.LocalPath }
    }
    if ($paths.Count -eq 0 -and $env:USERPROFILE) { $paths += $env:USERPROFILE }
    $paths += (Join-Path $env:windir 'System32\config\systemprofile')
    return $paths
}

function Get-SystemDirectory {
    # A 32-bit PowerShell on 64-bit Windows is redirected from System32 to SysWOW64; Sysnative is the way back.
    if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) {
        $script:warnings.Add('32-bit PowerShell on 64-bit Windows: run the 64-bit one for complete registry views')
        return (Join-Path $env:windir 'Sysnative')
    }
    return (Join-Path $env:windir 'System32')
}

function Get-FileSnapshot {
    param([string[]]$Profiles)
    foreach ($profilePath in $Profiles) {
        Add-TwoLevels (Join-Path $profilePath 'AppData\Local')
        Add-TwoLevels (Join-Path $profilePath 'AppData\Local\Temp')
        Add-TwoLevels (Join-Path $profilePath 'AppData\Roaming')
    }
    if ([Environment]::Is64BitOperatingSystem) {
        Add-TwoLevels (Join-Path $env:windir 'SysWOW64') $RecentDays
    } else {
        Add-TwoLevels (Get-SystemDirectory) $RecentDays
    }
    if ($script:fileLimitHit) { $script:warnings.Add(('files: stopped at MaxFiles = {0}' -f $MaxFiles)) }
    return , $script:files
}

function Get-System32List {
    $list = New-Object System.Collections.Generic.List[object]
    foreach ($f in @(Get-ChildItem -LiteralPath (Get-SystemDirectory) -File -Force -ErrorAction SilentlyContinue)) {
        if ($f.Extension -eq '.exe' -or $f.Extension -eq '.dll') {
            $list.Add([ordered]@{ name = $f.Name; size = [long]$f.Length })
        }
    }
    return , $list
}

function Get-KnownFolders {
    param([string[]]$Profiles)
    $names = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::OrdinalIgnoreCase)
    $roots = @($env:ProgramFiles, ${env:ProgramFiles(x86)}) + @($Profiles | ForEach-Object { Join-Path $_ 'AppData\Roaming' })
    foreach ($root in $roots) {
        if (-not $root -or -not (Test-Path -LiteralPath $root)) { continue }
        foreach ($first in Get-Children $root) {
            if (-not ($first.Attributes -band [System.IO.FileAttributes]::Directory)) { continue }
            [void]$names.Add($first.Name)
            foreach ($second in Get-Children $first.FullName) {
                if ($second.Attributes -band [System.IO.FileAttributes]::Directory) { [void]$names.Add($second.Name) }
            }
        }
    }
    return , @($names)
}

# --- network addresses (what ipconfig /all shows: IP-enabled adapters, their addresses and MAC) --------
# Proxy, Zeek and Suricata logs name a client by address only; emoguard maps those findings to this host
# by the addresses it held at collection time (DHCP moves them).
function Get-NetworkAddresses {
    $list = New-Object System.Collections.Generic.List[object]
    try {
        $adapters = @(Get-CimInstance -ClassName Win32_NetworkAdapterConfiguration -Filter 'IPEnabled = TRUE')
    } catch {
        $script:warnings.Add('network: ' + $_.Exception.Message)
        return , $list
    }
    foreach ($adapter in $adapters) {
        foreach ($ip in @($adapter.IPAddress)) {
            if (-not $ip) { continue }
            $list.Add([ordered]@{ ip = [string]$ip; mac = [string]$adapter.MACAddress; interface = [string]$adapter.Description })
        }
    }
    return , $list
}

# --- the snapshot --------------------------------------------------------------------------------------
$profiles = Get-ProfilePaths
$arch = 'x86'
if ([Environment]::Is64BitOperatingSystem) { $arch = 'x64' }

$snapshot = [ordered]@{
    schema         = 'emoguard.host-snapshot/1'
    hostname       = $env:COMPUTERNAME
    volumeSerial   = (Get-SystemVolumeSerial)
    collectedAt    = (Get-Date).ToString('o')
    arch           = $arch
    processes      = (Get-ProcessList)
    registry       = (Get-RegistrySnapshot)
    services       = (Get-ServiceList)
    scheduledTasks = (Get-TaskList)
    files          = (Get-FileSnapshot $profiles)
    system32       = (Get-System32List)
    knownFolders   = (Get-KnownFolders $profiles)
    network        = [ordered]@{ addresses = (Get-NetworkAddresses) }
    collector      = [ordered]@{ name = 'collect.ps1'; version = '1'; warnings = $script:warnings }
}

$json = ConvertTo-Json -InputObject $snapshot -Depth 6 -Compress
$target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
# UTF-8 without a BOM: Out-File in PowerShell 5.1 would write UTF-16.
[System.IO.File]::WriteAllText($target, $json, (New-Object System.Text.UTF8Encoding $false))
Write-Host ('emoguard snapshot written to {0} ({1} processes, {2} files)' -f $target, $snapshot.processes.Count, $snapshot.files.Count)
