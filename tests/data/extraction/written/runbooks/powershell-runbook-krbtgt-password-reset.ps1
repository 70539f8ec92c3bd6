<#
.SYNOPSIS
    Runbook RB-AD-11: reset the KRBTGT account password for the corp.fenwick.example domain.

.DESCRIPTION
    Resets the KRBTGT password in two passes, as required after a suspected domain compromise
    (golden ticket risk) and every 180 days as routine hygiene. Each pass is run separately;
    this script performs ONE pass per invocation and refuses to run a second pass too early.

    RULES
      - Both passes are required; a single reset leaves the previous key valid, because
        domain controllers accept the current and the previous KRBTGT key.
      - Wait at least 10 hours (the maximum user ticket lifetime) plus full AD replication
        between pass 1 and pass 2. Resetting twice in a row invalidates every Kerberos
        ticket in the domain at once and logs everyone out, services included.
        Exception: during an active compromise the incident commander may order both passes
        back to back, accepting the outage.
      - Replication must be healthy on ALL domain controllers before each pass. A DC that
        has not replicated pass 1 will reject tickets issued under the new key.
      - Run from a privileged access workstation (PAW) with a Tier 0 account, never from a
        normal admin workstation or a jump host shared with Tier 1.

.PARAMETER Pass
    1 or 2.

.NOTES
    Owner:   Identity Engineering (Fenwick Mutual), escalation via the Tier 0 on-call
    Change:  standard change SC-AD-11 for routine resets; emergency change during incidents
    History: 2026-06-03 routine reset (pass 1 + pass 2 after 26h), no impact
             2026-11-09 reviewed after the Ledbury tabletop exercise

    Open items
      [x] Pass-2 guard reads the pass-1 timestamp from the DC instead of a local file
      [ ] Add the Azure AD Connect sync account check (hybrid join) to the pre-checks
      [ ] Publish the 180-day schedule in the change calendar automatically
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory)] [ValidateSet(1, 2)] [int] $Pass
)

Import-Module ActiveDirectory
$ErrorActionPreference = 'Stop'
$domain = 'corp.fenwick.example'

# --- Pre-check 1: replication health on every DC ------------------------------------------
# repadmin must report zero failures. If any DC shows failures, stop and fix replication
# first (runbook RB-AD-04); do not reset with a DC out of sync.
$fails = repadmin /replsummary /bysrc /bydest | Select-String -Pattern '\s[1-9]\d*\s*/'
if ($fails) { throw "Replication failures present - fix them before resetting KRBTGT." }

# --- Pre-check 2: time since the last reset -----------------------------------------------
# The guard reads pwdLastSet from the PDC emulator. For pass 2 it requires 10h + 1h margin.
$pdc = (Get-ADDomain $domain).PDCEmulator
$last = (Get-ADUser krbtgt -Server $pdc -Properties PasswordLastSet).PasswordLastSet
if ($Pass -eq 2 -and ((Get-Date) - $last).TotalHours -lt 11) {
    throw "Pass 1 was at $last. Wait until at least 11 hours have passed (or get IC approval)."
}

# --- Pre-check 3: announce ----------------------------------------------------------------
# Post in #it-ops and the service-desk channel before the pass: users with stale tickets
# may need to lock and unlock their session, and some services need a restart after pass 2.
Write-Host "Announce pass $Pass in #it-ops and #service-desk now." -ForegroundColor Yellow

# --- Reset --------------------------------------------------------------------------------
# Reset on the PDC emulator only, then force replication so every DC has the new key
# before anyone tests.
if ($PSCmdlet.ShouldProcess("krbtgt@$domain", "Reset password (pass $Pass)")) {
    $pw = [System.Web.Security.Membership]::GeneratePassword(64, 16)
    Set-ADAccountPassword -Identity krbtgt -Server $pdc -Reset `
        -NewPassword (ConvertTo-SecureString $pw -AsPlainText -Force)
    Remove-Variable pw
    repadmin /syncall $pdc /APed | Out-Null
}

# --- Post-check ---------------------------------------------------------------------------
# Confirm PasswordLastSet is identical on every DC. Then log on to a test workstation with a
# standard test account and open the intranet (Kerberos) and a file share.
Get-ADDomainController -Filter * | ForEach-Object {
    [pscustomobject]@{
        DC          = $_.HostName
        KrbtgtReset = (Get-ADUser krbtgt -Server $_.HostName -Properties PasswordLastSet).PasswordLastSet
    }
} | Format-Table -AutoSize
# If a DC shows the old timestamp after 30 minutes, force replication to it; if it still
# lags, isolate it from the network and escalate to the Tier 0 on-call.
