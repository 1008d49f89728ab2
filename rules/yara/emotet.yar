/*
 * emoguard's own rules for Emotet on an infected host (step 6), written here from public descriptions of
 * the loader and its configuration: the RSA-768 public key of epochs 1-3 (DER SubjectPublicKeyInfo, and
 * its base64 form), the two P-256 public keys of epochs 4-5 (BCRYPT_ECCKEY_BLOB: "ECK1" for ECDH and
 * "ECS1" for ECDSA, each with cbKey = 32), and the command lines the loader uses to persist. They are
 * meant for unpacked loaders and process memory (minidumps), where the keys are in clear. The C2 table
 * itself is found and decoded by the emotet-config engine, which checks IP and port plausibility that a
 * YARA pattern cannot. Text patterns are ASCII only: see office-droppers.yar on `wide` and zero pages.
 * Tests: src/apps/yara-backend/bundled-rules.test.ts (a match and a near miss for every rule).
 */

rule Emoguard_Emotet_RSA768_Public_Key
{
    meta:
        description = "RSA-768 public key as DER SubjectPublicKeyInfo or its base64 (PEM body), the C2 key of Emotet epochs 1-3; 768-bit keys are otherwise long out of use"
        author = "emoguard"
        severity = "high"
        step = "6"
        attack = "T1573 T1071.001"
        reference = "https://attack.mitre.org/techniques/T1573/"

    strings:
        // SEQUENCE(124) { SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }, BIT STRING(107) { SEQUENCE(104) { INTEGER(97) 00 ...
        $der = { 30 7C 30 0D 06 09 2A 86 48 86 F7 0D 01 01 01 05 00 03 6B 00 30 68 02 61 00 }
        $b64 = "MHwwDQYJKoZIhvcNAQEBBQADawAwaAJh"

    condition:
        $der or $b64
}

rule Emoguard_Emotet_ECC_P256_Key_Pair
{
    meta:
        description = "Two P-256 public keys as BCRYPT_ECCKEY_BLOBs, ECDH (ECK1) and ECDSA (ECS1), as Emotet epochs 4-5 carry for their C2 protocol"
        author = "emoguard"
        severity = "high"
        step = "6"
        attack = "T1573"
        reference = "https://learn.microsoft.com/en-us/windows/win32/api/bcrypt/ns-bcrypt-bcrypt_ecckey_blob"

    strings:
        // dwMagic BCRYPT_ECDH_PUBLIC_P256_MAGIC / BCRYPT_ECDSA_PUBLIC_P256_MAGIC, then cbKey = 32
        $eck1 = { 45 43 4B 31 20 00 00 00 }
        $ecs1 = { 45 43 53 31 20 00 00 00 }

    condition:
        $eck1 and $ecs1
}

rule Emoguard_Emotet_Loader_Persistence_Command
{
    meta:
        description = "regsvr32 /s or rundll32 ...,Control_RunDLL on a randomly named DLL in a randomly named folder of %LOCALAPPDATA%, the way Emotet loaders persist (2020-2023)"
        author = "emoguard"
        severity = "medium"
        step = "6"
        attack = "T1218.010 T1218.011 T1547.001"
        reference = "https://attack.mitre.org/techniques/T1218/011/"

    strings:
        $regsvr = /regsvr32(\.exe)?"? +\/s +"?[A-Za-z]:\\Users\\[^\\"]{1,64}\\AppData\\Local\\[A-Za-z0-9]{3,16}\\[A-Za-z0-9]{3,16}\.[A-Za-z0-9]{3}"?/ nocase
        $rundll = /rundll32(\.exe)?"? +"?[A-Za-z]:\\Users\\[^\\"]{1,64}\\AppData\\Local\\[A-Za-z0-9]{3,16}\\[A-Za-z0-9]{3,16}\.[A-Za-z0-9]{3}"? *, *(Control_RunDLL|DllRegisterServer|RunDLL)/ nocase

    condition:
        $regsvr or $rundll
}
