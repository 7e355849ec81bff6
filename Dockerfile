FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Pango and fonts for WeasyPrint (the programme PDF, /weeks/<slug>/programm.pdf).
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 netzwerktimer && chown -R netzwerktimer /app
USER netzwerktimer
EXPOSE 8000
CMD ["gunicorn", "netzwerktimer.wsgi:application", "--config", "python:netzwerktimer.gunicorn_conf"]
