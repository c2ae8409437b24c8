# syntax=docker/dockerfile:1
# KotaCerdas as a container image: one image for the app server and the job worker.
#
#   docker build -t kotacerdas .
#   docker run --read-only --tmpfs /tmp -v kotacerdas-data:/data -p 8000:8000 \
#     -e KOTACERDAS_SECRET_KEY=... -e KOTACERDAS_ALLOWED_HOSTS=... -e KOTACERDAS_DATABASE_URL=... kotacerdas
#
# Runs as an unprivileged user; the image itself may be mounted read-only: everything the app
# writes goes to /data (uploads and generated documents, unless an object store is configured)
# or /tmp (a tmpfs). The start commands are the ones bench/national.py exercises:
#   app:     gunicorn kotacerdas.wsgi --bind 0.0.0.0:8000   (workers from WEB_CONCURRENCY)
#   worker:  kotacerdas db_worker --no-reload
#   once per release, before the new app servers start:  kotacerdas setup
# See docs/deployment.md and compose.yaml.

FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
# WeasyPrint's system libraries (Pango, HarfBuzz subsetting) and the font the documents name.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

FROM base AS build
# gettext only to compile the translation catalogue; it stays out of the final image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY kotacerdas ./kotacerdas
RUN pip install . \
 && python -m compileall -q /opt/venv
# Build-time settings only: nothing here is kept in the image's environment.
# compilemessages walks the folder it runs in: run it in the installed package, not in /src.
RUN cd "$(cd /tmp && python -c 'import kotacerdas, os; print(os.path.dirname(kotacerdas.__file__))')" \
 && KOTACERDAS_DEBUG=true KOTACERDAS_DATA_DIR=/tmp/build kotacerdas compilemessages -l id \
 && KOTACERDAS_DEBUG=false KOTACERDAS_DATA_DIR=/tmp/build KOTACERDAS_STATIC_ROOT=/opt/static \
    KOTACERDAS_SECRET_KEY=build-time-only-key-never-used-to-sign-anything-0123456789 \
    KOTACERDAS_ALLOWED_HOSTS=localhost kotacerdas collectstatic --noinput -v 0

FROM base
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home kotacerdas \
 && install -d -o kotacerdas -g kotacerdas -m 750 /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/static /opt/static
ENV KOTACERDAS_DATA_DIR=/data \
    KOTACERDAS_STATIC_ROOT=/opt/static \
    WEB_CONCURRENCY=3 \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/cache \
    MPLCONFIGDIR=/tmp/matplotlib
USER kotacerdas
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
# /healthz answers 200 while the app server runs (liveness; /readyz also asks the database). The probe speaks plain HTTP to the app server, so
# it names the first allowed host and says the proxy received HTTPS (honoured with
# KOTACERDAS_BEHIND_PROXY=true, as compose.yaml sets it); a redirect or an error fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('KOTACERDAS_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"]
CMD ["gunicorn", "kotacerdas.wsgi", "--bind", "0.0.0.0:8000"]
