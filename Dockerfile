# The clustermissions image: one image for the web server, the Celery worker and beat
# (docker-compose.yml chooses the command). Production settings are selected by the
# environment; SECRET_KEY, ALLOWED_HOSTS and SITE_URL must come from there too.
FROM python:3.11-slim

# PYTHONPATH: the source tree in /app, not the pip-installed copy, is imported, because the
# settings find templates/, static/ and locale/ relative to the package (BASE_DIR).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    VAR_DIR=/var/lib/clustermissions \
    DJANGO_SETTINGS_MODULE=clustermissions.settings.production

# WeasyPrint (PDF reports) needs Pango and HarfBuzz at run time, and fonts to render with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Explicit paths so a developer's .venv, var/ or node_modules never reach the image.
COPY pyproject.toml README.md manage.py ./
COPY clustermissions ./clustermissions
COPY organizations ./organizations
COPY missions ./missions
COPY matchmaking ./matchmaking
COPY reports ./reports
COPY templates ./templates
COPY static ./static
COPY locale ./locale
RUN pip install . \
    && rm -rf build *.egg-info

RUN useradd --system --create-home --home-dir /home/app app \
    && mkdir -p "$VAR_DIR/media" "$VAR_DIR/private" "$VAR_DIR/staticfiles" "$VAR_DIR/beat" \
    && chown -R app:app "$VAR_DIR"
USER app

EXPOSE 8000
CMD ["gunicorn", "clustermissions.wsgi:application", "--bind", "0.0.0.0:8000"]
