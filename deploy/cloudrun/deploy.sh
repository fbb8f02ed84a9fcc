#!/usr/bin/env bash
# Cloud Run job + Cloud Scheduler for mesa (see docs/production.md, "Cloud Run").
# Fill the variables, read each command, then run them one by one or all at once.
set -euo pipefail

PROJECT=${PROJECT:?set PROJECT, e.g. alcaldia-funza-mesa}
REGION=${REGION:-us-central1}
REPO=${REPO:-mesa}
IMAGE="$REGION-docker.pkg.dev/$PROJECT/$REPO/mesa:${VERSION:-$(git rev-parse --short HEAD)}"
RUNTIME_SA="mesa-runtime@$PROJECT.iam.gserviceaccount.com"   # runs the job; reads the secrets
SCHEDULER_SA="mesa-scheduler@$PROJECT.iam.gserviceaccount.com" # may only start the job

# 1. Image (Artifact Registry); Cloud Build builds deploy/Dockerfile.
gcloud artifacts repositories create "$REPO" --project "$PROJECT" --location "$REGION" --repository-format docker || true
gcloud builds submit --project "$PROJECT" --region "$REGION" \
  --config /dev/stdin . <<YAML
steps:
- name: gcr.io/cloud-builders/docker
  args: [build, -f, deploy/Dockerfile, -t, "$IMAGE", .]
images: ["$IMAGE"]
YAML

# 2. Secrets: the domain-wide-delegation key and the configuration.
gcloud secrets create mesa-service-account --project "$PROJECT" --data-file credentials/service-account.json || \
  gcloud secrets versions add mesa-service-account --project "$PROJECT" --data-file credentials/service-account.json
gcloud secrets create mesa-config --project "$PROJECT" --data-file config/google.yaml || \
  gcloud secrets versions add mesa-config --project "$PROJECT" --data-file config/google.yaml

# 3. The jobs. Cloud Run mounts each secret in its own directory (a mount
#    may not contain another), so the configuration goes to /etc/mesa-config.
#    In config/google.yaml: google.credentials: /etc/mesa/credentials/service-account.json
# The job: one `mesa sync` per execution, never retried by Cloud Run
#    (the next scheduled run is the retry; the cycle is idempotent).
#    Memory: Cloud Run's default 512Mi holds a sync of a 100,000-case office
#    (peak RSS ~475 MiB, BENCHMARKS.md "mesa sync at 100k, packed journal");
#    the nightly reconcile reads every tab whole (~735 MiB at 100k): 1Gi.
gcloud run jobs deploy mesa-sync --project "$PROJECT" --region "$REGION" \
  --image "$IMAGE" --command /usr/local/bin/mesa --args=--config=/etc/mesa-config/config.yaml,sync \
  --service-account "$RUNTIME_SA" \
  --set-secrets /etc/mesa-config/config.yaml=mesa-config:latest,/etc/mesa/credentials/service-account.json=mesa-service-account:latest \
  --set-env-vars MESA_LOG_FORMAT=json \
  --tasks 1 --parallelism 1 --max-retries 0 --task-timeout 10m --memory 512Mi --cpu 1

gcloud run jobs deploy mesa-reconcile --project "$PROJECT" --region "$REGION" \
  --image "$IMAGE" --command /usr/local/bin/mesa --args=--config=/etc/mesa-config/config.yaml,reconcile \
  --service-account "$RUNTIME_SA" \
  --set-secrets /etc/mesa-config/config.yaml=mesa-config:latest,/etc/mesa/credentials/service-account.json=mesa-service-account:latest \
  --set-env-vars MESA_LOG_FORMAT=json \
  --tasks 1 --parallelism 1 --max-retries 1 --task-timeout 30m --memory 1Gi --cpu 1

# 4. Cloud Scheduler starts the jobs, in Bogotá time.
gcloud run jobs add-iam-policy-binding mesa-sync --project "$PROJECT" --region "$REGION" \
  --member "serviceAccount:$SCHEDULER_SA" --role roles/run.invoker
gcloud run jobs add-iam-policy-binding mesa-reconcile --project "$PROJECT" --region "$REGION" \
  --member "serviceAccount:$SCHEDULER_SA" --role roles/run.invoker
for job in "mesa-sync|*/5 6-20 * * *" "mesa-reconcile|30 2 * * *"; do
  name=${job%%|*}; schedule=${job#*|}
  gcloud scheduler jobs create http "$name" --project "$PROJECT" --location "$REGION" \
    --schedule "$schedule" --time-zone America/Bogota \
    --uri "https://run.googleapis.com/v2/projects/$PROJECT/locations/$REGION/jobs/$name:run" \
    --http-method POST --oauth-service-account-email "$SCHEDULER_SA" || \
  gcloud scheduler jobs update http "$name" --project "$PROJECT" --location "$REGION" \
    --schedule "$schedule" --time-zone America/Bogota
done
