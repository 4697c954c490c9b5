"""The Kubernetes manifests are valid objects that run the same stack as compose."""

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tenants.middleware import HEALTH_PATH
from tests.foundation.test_readme import _variables_read_by

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "infra" / "k8s"
KUBERNETES_VERSION = "1.30.0"


def _kustomization() -> dict:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text())


def _objects() -> list[dict]:
    objects = []
    for name in _kustomization()["resources"]:
        objects += [doc for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]
    return objects


def _object(kind: str, name: str) -> dict:
    return next(
        o for o in _objects() if o["kind"] == kind and o["metadata"]["name"] == name
    )


def _container(kind: str, name: str) -> dict:
    return _object(kind, name)["spec"]["template"]["spec"]["containers"][0]


def test_kustomization_lists_every_manifest():
    listed = set(_kustomization()["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}

    assert listed == present


@pytest.mark.parametrize(
    "obj", _objects(), ids=lambda o: f"{o['kind']}/{o['metadata']['name']}"
)
def test_every_object_is_valid_for_the_kubernetes_api(obj):
    # Strict: a misspelt or misplaced field is an error, not silently ignored.
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_pods_run_the_same_commands_as_the_compose_stack():
    compose = yaml.safe_load((ROOT / "infra" / "compose.yaml").read_text())
    services = compose["services"]

    pods = {
        "web": ("Deployment", "ketnoi-web"),
        "worker": ("Deployment", "ketnoi-worker"),
        "beat": ("Deployment", "ketnoi-beat"),
        "migrate": ("Job", "ketnoi-prepare"),
    }

    for service, (kind, name) in pods.items():
        assert _container(kind, name)["command"] == services[service]["command"]


def test_every_pod_reads_the_config_map_and_the_secret_and_uses_the_image():
    image = _kustomization()["images"][0]["name"]
    config_map = _object("ConfigMap", "ketnoi-config")["metadata"]["name"]

    for kind, name in [
        ("Deployment", "ketnoi-web"),
        ("Deployment", "ketnoi-worker"),
        ("Deployment", "ketnoi-beat"),
        ("Job", "ketnoi-prepare"),
    ]:
        container = _container(kind, name)
        sources = container["envFrom"]
        assert {"configMapRef": {"name": config_map}} in sources
        assert {"secretRef": {"name": "ketnoi-secrets"}} in sources
        assert container["image"] == image


def test_config_map_sets_only_variables_the_platform_reads_and_documents():
    readme = (ROOT / "README.md").read_text()
    read = set().union(
        *(_variables_read_by(p) for p in (ROOT / "platform" / "ketnoi").glob("*.py"))
    )
    config = _object("ConfigMap", "ketnoi-config")["data"]

    assert config["KETNOI_ENV"] == "production"
    assert "SECRET_KEY" not in config and "DATABASE_URL" not in config
    assert sorted(set(config) - read) == []
    assert sorted(name for name in config if f"`{name}`" not in readme) == []


def test_web_pods_are_probed_on_the_health_path_and_served_on_their_port():
    web = _container("Deployment", "ketnoi-web")
    service = _object("Service", "ketnoi-web")
    port_name = web["ports"][0]["name"]

    for probe in ("readinessProbe", "livenessProbe"):
        assert web[probe]["httpGet"] == {"path": HEALTH_PATH, "port": port_name}
    assert web["ports"][0]["containerPort"] == 8000
    assert service["spec"]["ports"][0]["targetPort"] == port_name
    web_labels = _object("Deployment", "ketnoi-web")["spec"]["selector"]
    assert service["spec"]["selector"] == web_labels["matchLabels"]


def test_a_single_scheduler_is_ever_running():
    beat = _object("Deployment", "ketnoi-beat")["spec"]

    assert beat["replicas"] == 1
    assert beat["strategy"]["type"] == "Recreate"
    assert not [
        o
        for o in _objects()
        if o["kind"] == "HorizontalPodAutoscaler"
        and o["spec"]["scaleTargetRef"]["name"] == "ketnoi-beat"
    ]


def test_every_host_reaches_the_web_service_over_tls():
    ingress = _object("Ingress", "ketnoi")["spec"]
    hosts = [rule["host"] for rule in ingress["rules"]]
    config = _object("ConfigMap", "ketnoi-config")["data"]

    assert hosts == [config["BASE_DOMAIN"], f"*.{config['BASE_DOMAIN']}"]
    assert set(hosts) <= set(ingress["tls"][0]["hosts"])
    for rule in ingress["rules"]:
        backend = rule["http"]["paths"][0]["backend"]["service"]
        assert backend["name"] == "ketnoi-web"


def test_uploads_are_on_a_volume_every_web_and_worker_pod_shares():
    claim = _object("PersistentVolumeClaim", "ketnoi-media")
    media_root = _object("ConfigMap", "ketnoi-config")["data"]["MEDIA_ROOT"]

    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for name in ("ketnoi-web", "ketnoi-worker"):
        pod = _object("Deployment", name)["spec"]["template"]["spec"]
        assert pod["volumes"][0]["persistentVolumeClaim"]["claimName"] == (
            "ketnoi-media"
        )
        assert pod["containers"][0]["volumeMounts"][0]["mountPath"] == media_root
