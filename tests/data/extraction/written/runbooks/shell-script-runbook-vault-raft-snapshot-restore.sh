#!/usr/bin/env bash
# =============================================================================
# vault-restore.sh -- RUNBOOK: restore the Vault cluster from a Raft snapshot
#
# Owner:    Platform Security (#plat-sec, pager: plat-sec-primary)
# Last run: 2026-09-17 (quarterly DR exercise, staging)   Reviewed: 2026-11-02
#
# This script is both the runbook and the tool. Read each block before you
# run the next one; it stops and asks between steps on purpose. Run it from
# the bastion (bastion-sec-01), never from a laptop.
#
# HARD RULES
#   * A restore replaces ALL secrets, leases and auth config with the
#     snapshot's. Anything written after the snapshot is gone. Get written
#     go-ahead from the Platform Security lead or the incident commander
#     before step 4, and paste it in the incident channel.
#   * Never restore a snapshot older than 24h into production without the
#     security lead: revoked credentials come back to life.
#   * Unseal key holders type their own key. Nobody collects keys in a chat,
#     a file or this terminal's history.
#   * Do not use -force on `vault operator raft snapshot restore` unless the
#     snapshot comes from a different cluster (DR region rebuild). Using it on
#     the same cluster hides a mismatch you want to know about.
# =============================================================================
set -euo pipefail

export VAULT_ADDR="${VAULT_ADDR:-https://vault.internal.brightwater.example:8200}"
SNAP_BUCKET="s3://bw-vault-snapshots-prod"
WORKDIR="$(mktemp -d /tmp/vault-restore.XXXX)"

pause() { read -r -p ">>> $1 -- continue? [y/N] " a; [[ "$a" == "y" ]] || exit 1; }

# --- Step 1: confirm you need a restore --------------------------------------
# A restore is the last resort. If the cluster is sealed but the data is
# intact, unseal instead (runbook vault-unseal). If one node is broken,
# remove and re-join it (runbook vault-raft-peer-replace). Restore only when
# data is corrupt or was deleted.
vault status || true
vault operator raft list-peers || true
pause "Data loss or corruption confirmed, and unseal/peer-replace ruled out"

# --- Step 2: pick the snapshot -----------------------------------------------
# Choose the newest snapshot taken BEFORE the damage. Check the damage time
# against the audit log, not against when someone noticed.
aws s3 ls "$SNAP_BUCKET/" | tail -n 48
read -r -p "Snapshot key to restore: " SNAP
aws s3 cp "$SNAP_BUCKET/$SNAP" "$WORKDIR/restore.snap"
aws s3 cp "$SNAP_BUCKET/$SNAP.sha256" "$WORKDIR/restore.snap.sha256"

# --- Step 3: verify the snapshot ----------------------------------------------
# The checksum must match. If it does not, pick the previous snapshot; do
# not try to "repair" a snapshot file.
( cd "$WORKDIR" && sha256sum -c restore.snap.sha256 )
vault operator raft snapshot inspect "$WORKDIR/restore.snap" | head -n 20
pause "Checksum OK and snapshot index/term look sane"

# --- Step 4: stop writers -----------------------------------------------------
# Scale the Vault Agent injector to zero and set the maintenance banner so
# CI pipelines stop minting credentials during the restore.
kubectl -n vault scale deploy/vault-agent-injector --replicas=0
pause "Written go-ahead posted in the incident channel"

# --- Step 5: restore ----------------------------------------------------------
vault operator raft snapshot restore "$WORKDIR/restore.snap"

# --- Step 6: unseal and check -------------------------------------------------
# After a restore every node is sealed. Key holders unseal node by node;
# wait for `vault status` to show Sealed=false and a leader before moving on.
# Then read the canary secret: its version must match the one recorded in
# the snapshot's metadata (see the snapshot log sheet).
echo "Ask three key holders to run: vault operator unseal (on each node)"
pause "All nodes unsealed and a leader elected"
vault kv metadata get -mount=canary dr/canary

# --- Step 7: re-issue what the snapshot lost ----------------------------------
# Dynamic DB credentials and PKI certs issued after the snapshot are unknown
# to Vault now. Restart the workloads that hold them so they request new ones.
# TODO(plat-sec): list of workloads to restart is still maintained by hand;
#                 generate it from the audit log (PSEC-412).
kubectl -n vault scale deploy/vault-agent-injector --replicas=3

# --- Step 8: clean up ---------------------------------------------------------
# The snapshot file contains every secret in plaintext-equivalent form.
# Delete it from the bastion before you close the incident.
shred -u "$WORKDIR/restore.snap" && rm -rf "$WORKDIR"

# DONE(plat-sec): snapshot checksums are now uploaded next to every snapshot (PSEC-398).
# TODO(plat-sec): DR-region restore with -force has never been exercised in prod-like
#                 conditions; schedule it for the Q1 exercise (PSEC-420).
