"""The files in deploy/ are valid as shipped: nginx accepts the site, gunicorn loads its config.

Like test_front_cache.py, these fail rather than skip when nginx or its purge module is missing.
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


def self_signed_certificate(directory: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is missing: apt-get install -y openssl")
    key, cert = directory / "privkey.pem", directory / "fullchain.pem"
    argv = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
    subprocess.run([*argv, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)  # noqa: S603


def test_production_nginx_site_is_accepted_by_nginx(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install -y nginx libnginx-mod-http-cache-purge")
    if not PURGE_MODULE.exists():
        pytest.fail("nginx's purge module is missing: apt-get install -y libnginx-mod-http-cache-purge")
    certs = tmp_path / "certs"
    certs.mkdir()
    self_signed_certificate(certs)
    # The site exactly as shipped, with only its machine paths moved into tmp_path.
    site = (DEPLOY / "nginx" / "vial.conf").read_text()
    for shipped, here in {
        "snippets/": f"{DEPLOY}/nginx/",
        "/etc/letsencrypt/live/www.vial-clinic.example/": f"{certs}/",
        "/var/cache/nginx/vial": f"{tmp_path}/cache",
        "/var/log/nginx/": f"{tmp_path}/",
        "/srv/vial/": f"{tmp_path}/srv/",
        "/var/www/letsencrypt": f"{tmp_path}/acme",
    }.items():
        site = site.replace(shipped, here)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""load_module {PURGE_MODULE};
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
{site}
}}
"""
    )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def test_gunicorn_config_loads_the_production_app(tmp_path):
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="vial.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="www.vial-clinic.example",
        CACHE_DIRECTORY=str(tmp_path),
        GUNICORN_WORKERS="2",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(  # noqa: S603 - fixed argv
        [str(gunicorn), "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py"), "vial.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
