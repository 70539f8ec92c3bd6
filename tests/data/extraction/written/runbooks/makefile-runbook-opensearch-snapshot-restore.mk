# -----------------------------------------------------------------------------
# runbook.mk — restore an OpenSearch index from snapshot (catalog-search cluster)
#
# Owner: search-infra (#search-infra, escalation: Vesna Markovic)
# Last exercised: 2026-11-02 (quarterly restore drill, 41 min end to end)
#
# This file IS the runbook. Read the comments top to bottom; every target is a
# step you can run. Targets are ordered: do not skip ahead.
#
#   make -f runbook.mk help
#   make -f runbook.mk preflight INDEX=products-v31
#   make -f runbook.mk restore INDEX=products-v31 SNAPSHOT=nightly-2026.11.20
#
# Rules that hold for every restore:
#   * Never restore over the live index name. Restore under a new name
#     (<index>-restored-<date>) and switch the alias; the live index stays
#     untouched until the alias has served traffic for a full hour.
#   * Never run a restore while the cluster is red, or while a snapshot is
#     being taken (restore and snapshot fight for the same repository lock).
#   * Only the alias switch touches production traffic. Announce it in
#     #catalog-oncall before running `make switch`.
# -----------------------------------------------------------------------------

OS      ?= https://search-catalog.internal:9200
REPO    ?= s3-catalog-snapshots
INDEX   ?=
SNAPSHOT?=
DATE    := $(shell date +%Y%m%d)
TARGET  := $(INDEX)-restored-$(DATE)
ALIAS   ?= products
CURL    := curl -sS --fail -u "$$OS_USER:$$OS_PASS"

.PHONY: help preflight list restore watch verify switch cleanup

help:  ## show targets in order
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/ —/'

# Step 1. Preflight. Cluster health must be green or yellow, and no snapshot
# may be in progress. If health is red, stop here and follow the red-cluster
# runbook instead; a restore will not fix a red cluster and makes it worse.
# Also check free disk: the restored index needs roughly 1.2x its primary
# size free on the hot nodes. If disk is short, ask in #search-infra before
# deleting anything.
preflight:  ## health, running snapshots, disk headroom
	$(CURL) "$(OS)/_cluster/health?pretty" | grep -E '"status"'
	$(CURL) "$(OS)/_snapshot/$(REPO)/_current" | grep -q '"snapshots" : \[ \]' \
	  || (echo "snapshot in progress: wait for it to finish" && exit 1)
	$(CURL) "$(OS)/_cat/allocation?v&h=node,disk.avail,disk.percent"

# Step 2. Pick the snapshot. Use the newest snapshot whose state is SUCCESS
# and that finished BEFORE the bad data arrived (check the incident channel
# for the time). PARTIAL snapshots are not usable for this index.
list:  ## list snapshots with state and end time
	$(CURL) "$(OS)/_cat/snapshots/$(REPO)?v&h=id,status,end_epoch&s=end_epoch:desc" | head -20

# Step 3. Restore under a new name. Replicas are set to 0 during the restore
# to halve the time; `verify` puts them back.
restore: preflight  ## restore INDEX from SNAPSHOT as $(TARGET)
	@test -n "$(INDEX)" -a -n "$(SNAPSHOT)" || (echo "INDEX and SNAPSHOT are required" && exit 1)
	$(CURL) -XPOST "$(OS)/_snapshot/$(REPO)/$(SNAPSHOT)/_restore" -H 'Content-Type: application/json' -d '{ \
	  "indices": "$(INDEX)", "rename_pattern": "(.+)", "rename_replacement": "$(TARGET)", \
	  "index_settings": {"index.number_of_replicas": 0}, "include_global_state": false }'

# Step 4. Watch recovery until every shard is done. Expect ~15 min for products.
watch:  ## shard recovery progress
	watch -n 10 "$(CURL) '$(OS)/_cat/recovery/$(TARGET)?v&active_only=true'"

# Step 5. Verify before switching. The doc count must be within 1% of the
# count recorded in the snapshot's metadata, and the three canned queries in
# verify-queries.json must return results. If either fails, do NOT switch;
# delete the restored index and try the previous snapshot.
# Then restore replicas to 1 and wait for green.
verify:  ## doc count, canned queries, replicas back to 1
	$(CURL) "$(OS)/$(TARGET)/_count"
	for q in $$(jq -c '.[]' verify-queries.json); do $(CURL) "$(OS)/$(TARGET)/_search" -H 'Content-Type: application/json' -d "$$q" | jq '.hits.total.value'; done
	$(CURL) -XPUT "$(OS)/$(TARGET)/_settings" -H 'Content-Type: application/json' -d '{"index.number_of_replicas": 1}'

# Step 6. Switch the alias atomically (one _aliases call with remove + add).
# Never delete the old index in the same call.
switch:  ## atomically point ALIAS at $(TARGET)
	$(CURL) -XPOST "$(OS)/_aliases" -H 'Content-Type: application/json' -d '{"actions":[ \
	  {"remove":{"index":"$(INDEX)","alias":"$(ALIAS)"}},{"add":{"index":"$(TARGET)","alias":"$(ALIAS)"}}]}'

# Step 7. Cleanup, no earlier than one hour after the switch and only after
# the search error rate on the catalog dashboard is back to baseline.
# Close (not delete) the old index first and keep it closed for 7 days.
cleanup:  ## close the old index
	$(CURL) -XPOST "$(OS)/$(INDEX)/_close"

# TODO(vesna): make `restore` refuse to run when TARGET == the alias's current
# index — we nearly did that in the drill. Tracked in SRCH-402.
# DONE(2026-11-05): `preflight` now fails when a snapshot is in progress.
