"""Everything in deploy/: the container image, compose, the Kubernetes manifests and .env.example.

The Kubernetes checks are the required fields per kind plus the references between objects
(selectors, services, scale targets, config and secret names), so a manifest that `kubectl apply`
would reject, or one that applies but routes nowhere, fails here. Where the tools are on the
machine, `kubectl kustomize`, `docker compose config` and `docker build` run too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from infointerview.bot.config_cli import env_names
from infointerview.bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
ENV_EXAMPLE = DEPLOY / ".env.example"

API_VERSIONS = {
    "ConfigMap": "v1", "Secret": "v1", "Service": "v1",
    "Deployment": "apps/v1", "StatefulSet": "apps/v1", "Job": "batch/v1",
    "Ingress": "networking.k8s.io/v1", "PodDisruptionBudget": "policy/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
}
WORKLOADS = ("Deployment", "StatefulSet", "Job")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yaml", ".yml"))


def is_kubernetes(doc: Any) -> bool:
    return (isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc
            and doc["kind"] != "Kustomization")


def k8s_objects() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in yaml_files()
            for doc in yaml.safe_load_all(path.read_text()) if is_kubernetes(doc)]


def objects(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_objects() if doc["kind"] == kind]


def one(kind: str, name: str) -> dict[str, Any]:
    found = [doc for doc in objects(kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} named {name}, found {len(found)}"
    return found[0]


def pod_specs() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for kind in WORKLOADS:
        for doc in objects(kind):
            yield doc, doc["spec"]["template"]["spec"]


def containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def template_labels(kind: str = "Deployment") -> dict[str, dict[str, str]]:
    return {doc["metadata"]["name"]: doc["spec"]["template"]["metadata"]["labels"]
            for doc in objects(kind)}


# --- every YAML file ----------------------------------------------------------------------------

def test_there_are_manifests_to_check() -> None:
    kinds = {doc["kind"] for _, doc in k8s_objects()}
    assert {"ConfigMap", "Secret", "Job", "Deployment", "Service", "Ingress",
            "PodDisruptionBudget", "HorizontalPodAutoscaler"} <= kinds


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_yaml_file_parses(path: Path) -> None:
    documents = [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
    assert documents, f"{path} is empty"
    assert all(isinstance(doc, dict) for doc in documents)


@pytest.mark.parametrize("path,doc", k8s_objects(),
                         ids=lambda v: str(v.relative_to(DEPLOY)) if isinstance(v, Path)
                         else v["kind"])
def test_kubernetes_object_has_the_required_fields(path: Path, doc: dict[str, Any]) -> None:
    kind = doc["kind"]
    assert kind in API_VERSIONS, f"{path}: unexpected kind {kind}"
    assert doc["apiVersion"] == API_VERSIONS[kind], f"{path}: {kind} is {API_VERSIONS[kind]}"
    name = doc["metadata"]["name"]
    assert DNS_SUBDOMAIN.match(name) and len(name) <= 63, name
    assert "namespace" not in doc["metadata"], "manifests are namespace-agnostic"
    labels = doc["metadata"].get("labels", {})
    assert labels.get("app.kubernetes.io/name") == "infointerview", f"{path}: labels"
    if kind in ("ConfigMap", "Secret"):
        values = {**doc.get("data", {}), **doc.get("stringData", {})}
        assert values and all(isinstance(v, str) for v in values.values()), \
            f"{path}: ConfigMap/Secret values must be strings"
    else:
        assert isinstance(doc.get("spec"), dict) and doc["spec"], f"{path}: spec"


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
def test_workload_selectors_match_their_pod_templates(kind: str) -> None:
    for doc in objects(kind):
        spec = doc["spec"]
        selector = spec["selector"]["matchLabels"]
        assert matches(selector, spec["template"]["metadata"]["labels"]), doc["metadata"]["name"]
        assert isinstance(spec["replicas"], int)
        if kind == "StatefulSet":
            assert spec["serviceName"]


def test_containers_are_complete_and_run_as_non_root() -> None:
    configmaps = {doc["metadata"]["name"] for doc in objects("ConfigMap")}
    secrets = {doc["metadata"]["name"] for doc in objects("Secret")}
    seen = 0
    for doc, pod in pod_specs():
        where = f"{doc['kind']} {doc['metadata']['name']}"
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        names = [c["name"] for c in containers(pod)]
        assert len(names) == len(set(names)), where
        for container in containers(pod):
            seen += 1
            assert DNS_LABEL.match(container["name"]), where
            assert container["image"], where
            assert container["args"] and all(isinstance(a, str) for a in container["args"])
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert {"cpu", "memory"} <= set(resources["limits"]), where
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            for port in container.get("ports", []):
                assert isinstance(port["containerPort"], int), where
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in configmaps, where
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, where
    assert seen


def _port_exists(container: dict[str, Any], port: int | str) -> bool:
    ports = container.get("ports", [])
    return any(port in (p["containerPort"], p.get("name")) for p in ports)


def test_probes_ask_healthz_for_liveness_and_readyz_for_readiness() -> None:
    probed = 0
    for doc in objects("Deployment") + objects("StatefulSet"):
        for container in doc["spec"]["template"]["spec"]["containers"]:
            for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                get = container[probe]["httpGet"]
                assert get["path"] == path, f"{doc['metadata']['name']} {probe}"
                assert _port_exists(container, get["port"]), f"{doc['metadata']['name']} {probe}"
                probed += 1
    assert probed >= 4


def test_the_slack_deployment_is_replicated_and_stops_gracefully() -> None:
    deployment = one("Deployment", "infointerview-slack")
    spec = deployment["spec"]
    assert spec["replicas"] == 2
    pod = spec["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] >= 30
    [container] = pod["containers"]
    assert container["args"][:2] == ["slack", "--http"]
    assert _port_exists(container, 3000)


def test_the_discord_gateway_runs_one_replica_per_shard_range() -> None:
    gateways = [doc for doc in objects("Deployment") + objects("StatefulSet")
                if doc["spec"]["template"]["spec"]["containers"][0]["args"][0] == "discord"]
    assert gateways
    for doc in gateways:
        assert doc["spec"]["replicas"] == 1
        if doc["kind"] == "Deployment":  # never two connections for one shard during a rollout
            assert doc["spec"]["strategy"]["type"] == "Recreate"


def test_the_migration_job_runs_once_to_completion() -> None:
    [job] = objects("Job")
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    assert pod["containers"][0]["args"] == ["migrate"]
    assert job["spec"]["backoffLimit"] >= 1


def test_services_select_a_deployment_and_target_its_port() -> None:
    deployments = {doc["metadata"]["name"]: doc for doc in objects("Deployment")}
    for service in objects("Service"):
        selector = service["spec"]["selector"]
        targets = [d for d in deployments.values()
                   if matches(selector, d["spec"]["template"]["metadata"]["labels"])]
        assert targets, f"Service {service['metadata']['name']} selects no Deployment"
        container = targets[0]["spec"]["template"]["spec"]["containers"][0]
        for port in service["spec"]["ports"]:
            assert _port_exists(container, port["targetPort"])
    slack = one("Service", "infointerview-slack")
    assert [(p["port"], p["targetPort"]) for p in slack["spec"]["ports"]] in (
        [(80, 3000)], [(80, "http")])


def test_the_ingress_sends_slack_paths_to_the_service() -> None:
    services = {doc["metadata"]["name"]: doc for doc in objects("Service")}
    [ingress] = objects("Ingress")
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert paths
    for path in paths:
        assert path["pathType"] in ("Prefix", "Exact", "ImplementationSpecific")
        backend = path["backend"]["service"]
        service = services[backend["name"]]
        port = backend["port"]
        assert any(port.get("number") == p["port"] or port.get("name") == p.get("name")
                   for p in service["spec"]["ports"])
    assert any(p["path"] == "/slack" and p["pathType"] == "Prefix" for p in paths)


def test_the_hpa_scales_an_existing_deployment_on_cpu() -> None:
    deployments = template_labels()
    for hpa in objects("HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
        assert target["name"] in deployments
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        resources = [m["resource"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"]
        assert any(r["name"] == "cpu" and r["target"]["type"] == "Utilization"
                   for r in resources)


def test_the_pdb_selects_the_replicated_deployment() -> None:
    [pdb] = objects("PodDisruptionBudget")
    assert pdb["spec"]["minAvailable"] == 1
    selector = pdb["spec"]["selector"]["matchLabels"]
    chosen = [name for name, labels in template_labels().items() if matches(selector, labels)]
    assert chosen == ["infointerview-slack"]


def test_config_and_secret_keys_are_settings_the_bot_reads() -> None:
    known = documented_variables()
    for kind in ("ConfigMap", "Secret"):
        for doc in objects(kind):
            keys = {*doc.get("data", {}), *doc.get("stringData", {})}
            assert keys <= known, f"{kind} {doc['metadata']['name']}: {keys - known}"


def test_kustomization_lists_every_manifest_but_not_the_secret_example() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Kustomization"
    resources = kustomization["resources"]
    assert len(resources) == len(set(resources))
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    examples = {name for name in files if name.endswith(".example.yaml")}
    assert examples == {"secret.example.yaml"}
    # applying the example would overwrite the real Secret with placeholders
    assert set(resources) == files - examples


MODELS = {
    "ConfigMap": "V1ConfigMap", "Secret": "V1Secret", "Service": "V1Service",
    "Deployment": "V1Deployment", "StatefulSet": "V1StatefulSet", "Job": "V1Job",
    "Ingress": "V1Ingress", "PodDisruptionBudget": "V1PodDisruptionBudget",
    "HorizontalPodAutoscaler": "V2HorizontalPodAutoscaler",
}
SCALARS = {"str", "int", "bool", "float", "object", "datetime", "date"}


def unknown_fields(client: Any, data: Any, typ: str, path: str) -> Iterator[str]:
    """Keys that are no field of the Kubernetes API type (a typo the API server would drop or
    reject), walking the client library's models."""
    typ = typ.replace("List[", "list[").replace("Dict[str, ", "dict(str, ")
    if typ.startswith("dict(str, ") and typ.endswith("]"):
        typ = typ[:-1] + ")"
    if typ in SCALARS or data is None:
        return
    if typ.startswith("list["):
        for i, item in enumerate(data):
            yield from unknown_fields(client, item, typ[5:-1], f"{path}[{i}]")
        return
    if typ.startswith("dict(str, "):
        for key, value in data.items():
            yield from unknown_fields(client, value, typ[10:-1], f"{path}.{key}")
        return
    model = getattr(client, typ)
    if not isinstance(data, dict):
        yield f"{path}: an object ({typ}) was expected, not {data!r}"
        return
    field_of = {key: attr for attr, key in model.attribute_map.items()}
    for key, value in data.items():
        if key not in field_of:
            yield f"{path}.{key}: no such field in {typ}"
        else:
            yield from unknown_fields(client, value, model.openapi_types[field_of[key]],
                                      f"{path}.{key}")


def test_every_field_is_known_to_the_kubernetes_api() -> None:
    kubernetes = pytest.importorskip("kubernetes")
    import json

    client = kubernetes.client
    api = client.ApiClient()
    problems = []
    for path, doc in k8s_objects():
        where = f"{path.relative_to(DEPLOY)} {doc['kind']}"
        model = MODELS[doc["kind"]]
        problems += list(unknown_fields(client, doc, model, where))
        try:  # the models refuse a missing required field
            try:
                api.deserialize(json.dumps(doc), model, "application/json")
            except TypeError:  # older clients: deserialize(response, type)
                response = type("Response", (), {"data": json.dumps(doc)})()
                api.deserialize(response, model)
        except (ValueError, TypeError) as exc:
            problems.append(f"{where}: {exc}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_kustomize_builds_the_manifests() -> None:
    result = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    kinds = {doc["kind"] for doc in yaml.safe_load_all(result.stdout) if doc}
    assert {"Deployment", "Service", "Ingress", "Job", "HorizontalPodAutoscaler"} <= kinds


# --- compose ------------------------------------------------------------------------------------

def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return document


def test_compose_runs_postgres_with_a_health_check_and_a_volume() -> None:
    spec = compose()
    db = spec["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in spec["volumes"]
    assert db["environment"]["POSTGRES_PASSWORD"]


def test_compose_migrates_once_before_the_bot_starts() -> None:
    services = compose()["services"]
    migrate, bot = services["migrate"], services["bot"]
    assert migrate["command"] == ["migrate"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate.get("restart", "no") == "no"
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert bot["command"][:2] == ["slack", "--http"]
    assert bot["env_file"] in (".env", [".env"])
    assert any(str(p).endswith("3000") for p in bot["ports"])
    assert bot["restart"] == "unless-stopped"
    url = bot["environment"]["INFOINTERVIEW_DATABASE_URL"]
    assert url.startswith("postgresql://") and "@db:5432/" in url


def test_compose_has_an_optional_discord_service() -> None:
    discord = compose()["services"]["discord"]
    assert discord["profiles"] == ["discord"]
    assert discord["command"] == ["discord"]
    assert discord["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def _compose_command() -> list[str] | None:
    """`docker compose` (v2), else the older `docker-compose`, else None."""
    if shutil.which("docker") is not None and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, timeout=30,
            check=False).returncode == 0:
        return ["docker", "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@pytest.mark.skipif(_compose_command() is None, reason="docker compose is not installed")
def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    # a copy beside a .env made from the example, so the check needs no deploy/.env
    folder = tmp_path / "deploy"
    folder.mkdir()
    shutil.copy(COMPOSE, folder / "compose.yaml")
    shutil.copy(ENV_EXAMPLE, folder / ".env")
    command = _compose_command()
    assert command is not None
    result = subprocess.run(
        [*command, "-f", str(folder / "compose.yaml"), "--profile", "discord", "config"],
        capture_output=True, text=True, timeout=60, check=False, cwd=folder)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert {"db", "migrate", "bot", "discord"} <= set(resolved["services"])
    url = resolved["services"]["bot"]["environment"]["INFOINTERVIEW_DATABASE_URL"]
    assert "change-me-to-a-long-random-password@db:5432" in url


# --- .env.example -------------------------------------------------------------------------------

def documented_variables() -> set[str]:
    names = set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_env_example_documents_every_setting() -> None:
    documented = documented_variables()
    for name, field in Settings.model_fields.items():
        primary = env_names(name, field)[0]
        assert primary in documented, f"{primary} (Settings.{name}) missing from .env.example"


def test_env_example_documents_the_platform_variables() -> None:
    expected = {
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
        "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "INFOINTERVIEW_TOKEN_KEY", "DISCORD_TOKEN",
        "DISCORD_GUILD_ID", "INFOINTERVIEW_DATABASE_URL", "INFOINTERVIEW_TEMPLATES_DIR",
        "INFOINTERVIEW_CAREER_OFFICE_NAME", "INFOINTERVIEW_CAREER_OFFICE_CONTACT",
        "INFOINTERVIEW_LOG_LEVEL", "INFOINTERVIEW_REMINDER_INTERVAL",
        "INFOINTERVIEW_METRICS_PORT", "POSTGRES_PASSWORD"}
    assert expected <= documented_variables()


def test_every_variable_in_env_example_has_a_comment_above_it() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^#?\s*[A-Z][A-Z0-9_]*=", line):
            above = lines[number - 1]
            assert above.startswith("#") and not re.match(r"^#?\s*[A-Z][A-Z0-9_]*=", above), \
                f".env.example line {number + 1}: {line} has no comment of its own"


def test_env_example_holds_no_real_looking_secret() -> None:
    text = ENV_EXAMPLE.read_text()
    assert not re.search(r"xox[bpa]-\d", text) and not re.search(r"xapp-\d", text)


# --- Dockerfile ---------------------------------------------------------------------------------

def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    result = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def test_dockerfile_is_multi_stage_on_a_slim_python() -> None:
    froms = [rest for keyword, rest in instructions() if keyword == "FROM"]
    assert len(froms) >= 2
    assert re.match(r"python:3\.1[1-3]-slim\b", final_stage()[0][1])


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [rest for keyword, rest in final_stage() if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_entrypoint_command_port_and_health_check() -> None:
    stage = dict(final_stage())
    assert stage["ENTRYPOINT"] == '["infointerview"]'
    assert stage["CMD"] == '["slack", "--http", "--port", "3000"]'
    assert "3000" in stage["EXPOSE"].split()
    health = stage["HEALTHCHECK"]
    assert "/healthz" in health and "urllib" in health and "curl" not in health
    env = " ".join(rest for keyword, rest in final_stage() if keyword == "ENV")
    assert "PYTHONUNBUFFERED=1" in env


def test_the_health_check_command_passes_on_200_and_fails_otherwise() -> None:
    import json
    import os
    import sys
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    health = dict(final_stage())["HEALTHCHECK"]
    command = json.loads(health[health.index("CMD") + 3:].strip())
    assert command[0] == "python"
    status = {"code": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status["code"] if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "INFOINTERVIEW_METRICS_PORT": str(server.server_address[1])}
    try:
        def run() -> int:
            return subprocess.run([sys.executable, *command[1:]], env=env, timeout=30,
                                  capture_output=True, check=False).returncode

        assert run() == 0
        status["code"] = 503
        assert run() != 0
    finally:
        server.shutdown()
        server.server_close()


def _dockerignore() -> list[str]:
    return [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def test_dockerignore_keeps_out_local_state_but_not_the_build_inputs() -> None:
    patterns = _dockerignore()
    for needed in (".git", ".venv*", ".ci-venv", "**/__pycache__", ".env"):
        assert needed in patterns, needed
    for kept in ("README.md", "pyproject.toml", "infointerview"):
        assert kept not in patterns and f"/{kept}" not in patterns, kept


def test_every_file_the_dockerfile_copies_exists() -> None:
    for keyword, rest in instructions():
        if keyword == "COPY" and "--from" not in rest:
            sources = [s for s in rest.split() if not s.startswith("--")][:-1]
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file in the repo"


def _docker_daemon() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30,
                          check=False).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _docker_daemon(), reason="no Docker daemon to build with")
def test_the_image_builds_and_answers_help() -> None:
    tag = "infointerview:test-deploy"
    build = subprocess.run(["docker", "build", "-f", str(DOCKERFILE), "-t", tag, str(ROOT)],
                           capture_output=True, text=True, timeout=900, check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run(["docker", "run", "--rm", tag, "--help"], capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0 and "check-config" in run.stdout, run.stderr
    user = subprocess.run(["docker", "run", "--rm", "--entrypoint", "id", tag, "-u"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert user.stdout.strip() not in ("", "0")


# --- docs/operations.md -------------------------------------------------------------------------

OPERATIONS = ROOT / "docs" / "operations.md"


def test_readme_links_the_operations_guide() -> None:
    assert "(docs/operations.md)" in (ROOT / "README.md").read_text()


def test_every_deploy_path_the_guide_names_exists() -> None:
    text = OPERATIONS.read_text()
    paths = set(re.findall(r"`(deploy/[\w./*-]+)`", text))
    assert "deploy/compose.yaml" in paths
    for path in paths - {"deploy/.env"}:  # the operator's copy of .env.example
        assert list(ROOT.glob(path)), f"docs/operations.md names {path}, which does not exist"


def test_the_retention_sql_in_the_guide_prunes_only_old_events(database: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select, text

    from infointerview.core.store.models import ProcessedEvent

    dialect_marker = "now()" if database.is_postgres else "datetime('now'"
    [statement] = [line.strip().rstrip(";") for line in OPERATIONS.read_text().splitlines()
                   if line.strip().startswith("DELETE FROM processed_events")
                   and dialect_marker in line]
    now = datetime.now(UTC)
    with database.begin() as connection:
        connection.execute(insert(ProcessedEvent), [
            {"platform": "slack", "tenant": "T1", "event_id": "old",
             "handled_at": now - timedelta(days=31)},
            {"platform": "slack", "tenant": "T1", "event_id": "recent",
             "handled_at": now - timedelta(days=29)}])
        connection.execute(text(statement))
        left = connection.execute(select(ProcessedEvent.event_id)).scalars().all()
    assert left == ["recent"]
