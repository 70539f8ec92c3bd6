"""Maintained vocabularies used by extraction and classification.

Everything here is plain data so it can be extended without touching the logic:
category keywords, technology aliases, imperative verbs and section-name patterns.
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> list[str]:
    return text.split()


# --- categories -------------------------------------------------------------------------
# keyword -> weight; matched on word boundaries, case-insensitive, over statement + rationale.
CATEGORY_KEYWORDS: Final[dict[str, dict[str, float]]] = {
    "security": {
        "auth": 1.5,
        "authentication": 2,
        "authorization": 2,
        "authorisation": 2,
        "token": 2,
        "tokens": 2,
        "credential": 2.5,
        "credentials": 2.5,
        "secret": 2.5,
        "secrets": 2.5,
        "password": 2.5,
        "passwords": 2.5,
        "permission": 1.5,
        "permissions": 1.5,
        "rbac": 1.5,
        "iam": 1,
        "vulnerability": 2.5,
        "vulnerabilities": 2.5,
        "cve": 2.5,
        "phishing": 3,
        "2fa": 3,
        "mfa": 3,
        "two-factor": 3,
        "pii": 2,
        "encryption": 2,
        "encrypt": 2,
        "certificate": 1,
        "certificates": 1,
        "tls": 1,
        "ssl": 1,
        "malware": 3,
        "attack": 2,
        "attacker": 2.5,
        "compromised": 2.5,
        "leak": 2,
        "leaked": 2.5,
        "exposed": 1.5,
        "security": 2,
        "access control": 2,
        "least privilege": 2.5,
        "privilege": 1.5,
        "privileges": 1.5,
        "audit": 1,
        "scan": 1,
        "scanning": 1,
        "firewall": 1.5,
        "supply chain": 2.5,
        "trusted publisher": 2.5,
        "api key": 2,
        "oidc": 1.5,
        "oauth": 1.5,
        "sso": 1.5,
        "account takeover": 3,
    },
    "data": {
        "database": 2,
        "databases": 2,
        "db": 1.5,
        "migration": 1.5,
        "migrations": 1.5,
        "backup": 2.5,
        "backups": 2.5,
        "restore": 1.5,
        "schema": 2,
        "data loss": 3,
        "replication": 2,
        "replica": 1.5,
        "retention": 1.5,
        "table": 1,
        "tables": 1,
        "index": 0.5,
        "query": 1,
        "queries": 1,
        "postgres": 1.5,
        "postgresql": 1.5,
        "mysql": 1.5,
        "rds": 1,
        "backfill": 2,
        "snapshot": 1.5,
        "storage": 1,
        "data": 1,
        "persistent volume": 1.5,
        "etcd": 1,
        "corrupt": 2,
        "corruption": 2.5,
        "integrity": 1.5,
        "bucket": 1,
        "buckets": 1,
        "records": 1,
        "personal data": 2.5,
        "gdpr": 2.5,
    },
    "delivery": {
        "deploy": 2,
        "deploys": 2,
        "deployment": 1.5,
        "deployments": 1.5,
        "ci": 2,
        "cd": 1,
        "pipeline": 2,
        "pipelines": 2,
        "release": 2,
        "releases": 2,
        "canary": 2.5,
        "rollout": 2.5,
        "roll out": 2,
        "rollback": 2.5,
        "roll back": 2.5,
        "feature flag": 2,
        "feature flags": 2,
        "test": 1.5,
        "tests": 1.5,
        "testing": 1.5,
        "staging": 1.5,
        "upgrade": 1.5,
        "upgrades": 1.5,
        "version": 1,
        "pin": 1.5,
        "merge": 1,
        "pull request": 1.5,
        "code review": 1.5,
        "build": 1,
        "builds": 1,
        "terraform apply": 1.5,
        "github actions": 1.5,
        "workflow": 1,
    },
    "architecture": {
        "architecture": 2.5,
        "design": 1.5,
        "service boundary": 2.5,
        "library": 1.5,
        "framework": 1.5,
        "decouple": 2,
        "abstraction": 1.5,
        "api": 1,
        "interface": 1,
        "component": 0.5,
        "monolith": 2,
        "microservice": 2,
        "microservices": 2,
        "multi-tenancy": 2,
        "single point of failure": 2,
        "redundancy": 1.5,
        "partition": 1,
    },
    "business": {
        "customer": 2,
        "customers": 2,
        "billing": 3,
        "pricing": 3,
        "sla": 2.5,
        "revenue": 3,
        "refund": 3,
        "refunds": 3,
        "status page": 2,
        "communicate": 1.5,
        "communication": 1.5,
        "comms": 1.5,
        "stakeholders": 1.5,
        "users": 0.5,
        "customer-facing": 2.5,
        "customer impact": 2.5,
        "public status page": 2.5,
        "announcement": 1.5,
        "support team": 1.5,
        "contract": 1.5,
        "license": 1.5,
        "licence": 1.5,
    },
    "operational": {
        "alert": 2,
        "alerts": 2,
        "alerting": 2.5,
        "monitor": 2,
        "monitoring": 2.5,
        "dashboard": 1.5,
        "dashboards": 1.5,
        "on-call": 2.5,
        "escalation": 2,
        "capacity": 2,
        "timeout": 2,
        "timeouts": 2,
        "runbook": 2,
        "runbooks": 2,
        "logs": 1,
        "logging": 1.5,
        "metrics": 1.5,
        "node": 0.5,
        "nodes": 0.5,
        "restart": 1.5,
        "scale": 1,
        "scaling": 1.5,
        "resource": 0.5,
        "resources": 0.5,
        "memory": 1,
        "cpu": 1,
        "disk": 1,
        "latency": 1.5,
        "incident": 1,
        "outage": 1,
        "health check": 1.5,
        "probe": 1.5,
        "probes": 1.5,
    },
}

# --- severities ---------------------------------------------------------------------------
SEVERITY_LABELS: Final[dict[str, str]] = {
    "sev0": "critical",
    "sev1": "critical",
    "sev-1": "critical",
    "sev 1": "critical",
    "p0": "critical",
    "p1": "critical",
    "critical": "critical",
    "blocker": "critical",
    "sev2": "high",
    "sev-2": "high",
    "sev 2": "high",
    "p2": "high",
    "major": "high",
    "high": "high",
    "severity 1": "critical",
    "severity 2": "high",
    "severity 3": "medium",
    "severity 4": "low",
    "sev3": "medium",
    "sev-3": "medium",
    "sev 3": "medium",
    "p3": "medium",
    "medium": "medium",
    "moderate": "medium",
    "sev4": "low",
    "sev-4": "low",
    "sev 4": "low",
    "p4": "low",
    "minor": "low",
    "low": "low",
    "warning": "medium",
    "info": "low",
    "none": "low",
}

# any one of these makes an incident critical (harm that cannot be rolled back)
DECISIVE_IMPACT_WORDS: Final = (
    "data loss",
    "lost data",
    "loss of data",
    "data was lost",
    "data breach",
    "breach",
    "compromised",
    "leaked",
    "account takeover",
    "malware",
    "complete outage",
    "total outage",
    "full outage",
)
CRITICAL_IMPACT_WORDS: Final = (
    "data loss",
    "lost data",
    "breach",
    "compromised",
    "all customers",
    "all users",
    "all services",
    "complete outage",
    "total outage",
    "full outage",
    "leaked",
    "account takeover",
    "malware",
)
HIGH_IMPACT_WORDS: Final = (
    "outage",
    "down",
    "unavailable",
    "unavailability",
    "not available",
    "downtime",
    "503",
    "502",
    "504",
    "failure",
    "degraded",
    "exposed",
    "vulnerability",
    "phishing",
)

# --- technologies: one vocabulary, owned by the core (kb.technologies) ---------------------------

PATH_EXTENSIONS: Final = (
    ".py",
    ".go",
    ".yaml",
    ".yml",
    ".tf",
    ".tfvars",
    ".sql",
    ".json",
    ".toml",
    ".sh",
    ".md",
    ".rb",
    ".js",
    ".ts",
    ".java",
    ".ini",
    ".cfg",
    ".conf",
    ".env",
    ".lock",
    ".pyc",
    ".xml",
    ".gradle",
    ".bib",
)
PATH_FILENAMES: Final = frozenset(
    {
        "Dockerfile",
        "Makefile",
        "Jenkinsfile",
        "Procfile",
        "Gemfile",
        ".gitignore",
        ".dockerignore",
        "CODEOWNERS",
        "Chart.yaml",
        "values.yaml",
        "go.mod",
        "package.json",
        "pyproject.toml",
        "kustomization.yaml",
    }
)
# extensions that make a bare name ("main.tf") a repository file; data and document names such as
# "request.json" or "notes.md" in prose are too often examples rather than files of the project
BARE_FILE_EXTENSIONS: Final = (
    ".py",
    ".go",
    ".yaml",
    ".yml",
    ".tf",
    ".tfvars",
    ".sql",
    ".toml",
    ".sh",
    ".rb",
    ".js",
    ".ts",
    ".java",
    ".gradle",
    ".lock",
    ".cfg",
    ".ini",
    ".conf",
    ".erb",
)

# --- imperative verbs --------------------------------------------------------------------------
IMPERATIVE_VERBS: Final = frozenset(
    _words(
        """
        add adjust adopt align allow alert analyse analyze apply archive assess assign audit automate avoid
        back block build bump check clarify clean cleanup collect communicate configure confirm consider
        consolidate create decommission define delete deploy deprecate design detect develop disable
        document do don't drain educate enable encourage enforce ensure escalate establish evaluate
        expand explore extend find fix follow force gather give grant harden identify implement improve
        include increase inform install introduce investigate isolate keep label learn limit lock log
        look maintain make manage mark measure migrate minimise minimize mitigate modify monitor move
        never notify observe obtain onboard override perform pin plan prefer prepare prevent prioritise
        prioritize protect provide publish purge put raise rate-limit reach read rebuild reconfigure
        record reduce refactor reference refresh reject release remove rename replace report request
        require reset resize restart restore restrict retain retire review revoke rewrite roll rollback
        rotate run scale scan schedule secure separate set setup share ship simplify speak split
        standardise standardize start stop store streamline switch tag teach test track train treat
        trigger tune turn understand update upgrade use validate verify wait watch write always
        accept host support offer rely expose deliver hardcode reuse merge contact talk ask call
        delegate open close redeploy recreate reboot cordon uncordon provision deprovision remediate
        patch downgrade re-run rerun execute edit change copy sync backup pause resume suspend reapply
        wrap handle favor favour sanitize sanitise allocate deny disallow permit forbid prohibit leave
        own mandate double-check recheck spike generate paste navigate select login go type enter
        choose download upload fetch pull push commit connect disconnect wipe empty flush drop
        truncate attach detach mount unmount cancel abort retry re-enable annotate taint untaint
        evict approve reconcile recycle replicate revert snapshot stagger throttle verify whitelist
        allowlist denylist encrypt decrypt rotate renew expire subscribe
        search redesign inspect correct determine resolve examine defragment defrag uncomment
        decommission decomission consult escalate reinstall clear re-introduce reintroduce respond tell
        announce post invalidate
        prefer rethrow throw catch serialize serialise emit expose route mount invoke query
        ping compare confirm diagnose debug tighten harden limit cap bound prevent
        remember expect try terminate rework re-work
        inject receive surface orchestrate persist cache proxy forward consume produce hold return
        exempt expose notify transition serve flag page declare register refuse poll take
        """
    )
)
# past tense forms that can be turned back into imperative: "Added X" -> "Add X"
PAST_TO_IMPERATIVE: Final[dict[str, str]] = {
    "added": "add",
    "created": "create",
    "implemented": "implement",
    "improved": "improve",
    "increased": "increase",
    "introduced": "introduce",
    "enabled": "enable",
    "disabled": "disable",
    "updated": "update",
    "upgraded": "upgrade",
    "moved": "move",
    "migrated": "migrate",
    "removed": "remove",
    "replaced": "replace",
    "configured": "configure",
    "documented": "document",
    "deployed": "deploy",
    "automated": "automate",
    "rotated": "rotate",
    "revoked": "revoke",
    "restricted": "restrict",
    "pinned": "pin",
    "scaled": "scale",
    "reduced": "reduce",
    "set up": "set up",
}

# irregular past participles of imperative verbs: "Exceptions are thrown" -> "Throw exceptions"
IRREGULAR_PARTICIPLES: Final[dict[str, str]] = {
    "thrown": "throw",
    "kept": "keep",
    "run": "run",
    "set": "set",
    "written": "write",
    "given": "give",
    "built": "build",
    "held": "hold",
    "made": "make",
    "sent": "send",
    "shown": "show",
    "chosen": "choose",
    "taken": "take",
    "read": "read",
    "split": "split",
    "put": "put",
    "caught": "catch",
    "driven": "drive",
    "rebuilt": "rebuild",
    "rewritten": "rewrite",
    "undertaken": "undertake",
}

# --- section names -----------------------------------------------------------------------------
# Section roles, matched (regex, case-insensitive) against a heading or bold field label.
SECTION_ROLES: Final[tuple[tuple[str, str], ...]] = (
    # never extract from these
    (
        r"attendees|participants|authors?|contributors|reviewers|timeline|key events|"
        r"thanks|acknowledg|credits|references|^links?$|see also|related|indicators? of compromise|"
        r"\bioc\b|what went well|went right|appendix|glossary|changelog|change log|revision history|"
        r"^reviews?$|stakeholder|^stats$|^statistics$|^context$|^identified|^metadata$|capecs?|"
        r"^goals?$|^future enhancements?|"
        r"table of contents|^toc$|what happened|details|investigation|^how to investigate|"
        r"how did (?:this|it) happen|"
        r"^impact|scope|signals|symptoms|^diagnosis|^meaning|"
        r"(?:open|unresolved) questions(?! and (?:follow|next|action))|"
        r"non-goals|sponsors|"
        r"support this|unsafe (?:control )?actions?|^control actions?$",
        "skip",
    ),
    (
        r"decision drivers?|^drivers?$|^principles$",
        "driver",
    ),
    (
        r"considered (?:options|alternatives)|pros and cons|^options|alternatives|"
        r"rejected (?:options|ideas)",
        "options",
    ),
    (r"^status$", "status"),
    # "Forces": what a pattern-form decision weighs; "Resulting context" is its consequences
    (
        r"(?<!resulting )context|problem statement|^why\b|background|motivation|"
        r"^problem(?!s\b|\s+tasks?\b)|^forces$",
        "context",
    ),
    (
        r"immediate actions|\(completed\)|completed actions|actions taken|what we did|resolution$|"
        r"^response$|timeline and response|what (?:has|have) been done|what we(?:'ve| have) done|"
        r"how (?:we|it was) (?:fixed|resolved)|^our response|^(?:the|our|immediate|quick) fix(?:es)?$|"
        r"how did (?:we|you) fix|what we fixed",
        "done",
    ),
    (
        r"action items?|action points|^actions?$|review actions|follow[- ]?ups?|next steps|^problem tasks?$|"
        r"remediation|recommendations?|preventi|how (?:are|will) we prevent|what (?:should|can) you do|"
        r"what you can do|actions should i take|call to action|planned actions|improvements|"
        r"protecting|what is pypi doing|how can .* improve|to ?dos?$|mitigations? plan|"
        r"\bactions?\b|corrective|preventive|measures|what we(?:'ll| will) do|future work|work items|"
        r"what (?:is|are) being done|what (?:\w+ )?should (?:\w+ )?do\b|what (?:do|does) \w+ need to do|"
        r"^what to do\b|(?:long|short|medium|near)[- ]?term (?:fix|solution|remediation|work|plan|change)|"
        r"^(?:permanent|planned|proposed|future) fix|^reference implementation$|"
        # a public review's "How are we making incidents like this less likely or less impactful?"
        r"how (?:are|will) we mak(?:e|ing) .*\bless (?:likely|impactful|frequent|severe)",
        "action",
    ),
    (
        r"lessons?|take[- ]?aways?|learnings?|^(?:key |main |recurring )?themes$|"
        r"what (?:\w+ )*(?:teach(?:es)?|taught)\b|"
        r"what (?:could|can) (?:have gone|we do|be done) better|"
        r"went wrong|didn.t go (?:so |as |too )?well|did not go (?:so |as |too )?well|went poorly|insights|"
        r"what can we learn|reflections|^problems\b(?! statement)|(?:problems|issues) encountered|"
        r"what we learned|thoughts|what (?:can|could) (?:be|have been) improved|"
        r"(?:things|areas) (?:to|for|that need) improve",
        "lesson",
    ),
    (r"contributing factors?|root cause|why it (?:wasn.t|was not) caught|why did it happen", "factor"),
    (
        r"^decision|^decided$|decision outcome|what.s proposed|^proposal|"
        r"^proposed (?:solution|approach|design|changes?)|"
        r"^outcome$|^agreed (?:approach|solution|design)|"
        r"^how$|^what$|^solution|^approach|^goals?$|^confirmation|^guidelines?|"
        # a decision in pattern form (Alexander's "Therefore:"); a PEP's or an RFC's "Specification"
        r"^therefore\b|^specification$",
        "decision",
    ),
    (r"consequences|implications|^risks?$|^resulting context|^backwards? compatibility$", "consequence"),
    (
        r"mitigation|resolution|^resolve|^fix|how to fix|workaround|recovery|^remediat|^procedure|"
        r"^steps|troubleshoot",
        "mitigation",
    ),
    (r"before you (?:start|begin)|prerequisites?|requirements|pre-?flight", "prereq"),
    (r"summary|overview|description|^about", "summary"),
)

# field labels (MoJ bold bullets) that hold incident metadata rather than lessons
INCIDENT_FIELDS: Final[dict[str, str]] = {
    "time to repair": "time_to_repair",
    "time to resolve": "time_to_resolve",
    "time to resolution": "time_to_resolve",
    "time to detect": "time_to_detect",
    "time to detection": "time_to_detect",
    "time to recovery": "time_to_repair",
    "time to recover": "time_to_repair",
    "time to mitigate": "time_to_repair",
    "impact": "impact",
    "severity": "severity",
    "category": "incident_category",
}
