"""An object deleted from a versioned bucket without its version: S3 (and GCS with versioning, Azure
with blob versioning) then only adds a delete marker, and every earlier version stays. A rule against
deleting "only the current object version" is broken by delete calls that name no version id, in a
change that lists no object versions either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.code_words import code_only

# "Never delete only the current S3 object version": what the rule forbids.
_CURRENT_ONLY: Final = re.compile(r"\bdelet\w*\s+only\s+the\s+current\b.*\bversion", re.IGNORECASE)
# An object's delete: the AWS SDKs (`deleteObject(`, `delete_object(`, `DeleteObject(`,
# `deleteObjects(`, `delete_objects(`), the CLI (`aws s3 rm`, `aws s3api delete-object`), boto3's
# `bucket.objects.filter(...).delete()`, gsutil's and gcloud's `rm`.
_DELETES_OBJECT: Final = re.compile(
    r"\bdelete_?objects?\s*\(|\bDeleteObjects?(?:Request|Input)?\b|\baws\s+s3\s+rm\b|\bs3api\s+delete-objects?\b"
    r"|\.objects\.(?:all|filter)\([^)]*\)\.delete\(|\b(?:gsutil|gcloud\s+storage)\s+(?:-m\s+)?rm\b",
    re.IGNORECASE,
)
# A version named: `versionId(`, `VersionId=`, `version_id`, `--version-id`, `list_object_versions`,
# `listObjectVersions`, `object_versions`, gsutil's `-a` (all versions) and `--all-versions`.
_VERSION: Final = re.compile(
    r"version_?id|--version-id|object_?versions|ObjectVersions|--all-versions|\bgsutil\b.*\s-a\b",
    re.IGNORECASE,
)


def deletes_current_only(statement: str, added: Iterable[str]) -> list[str]:
    """A rule against deleting only an object's current version, broken: the added delete calls,
    where no added line names a version. The deleting lines."""
    if not _CURRENT_ONLY.search(statement):
        return []
    code = [c for c in (code_only(line) for line in added) if c.strip()]
    if any(_VERSION.search(line) for line in code):
        return []
    return [line.strip() for line in code if _DELETES_OBJECT.search(line)]
