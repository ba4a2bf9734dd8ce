# Gatewarden on Google Cloud: audit sink -> audit topic -> onAuditLog, scheduler -> sweep topic -> onSweep,
# findings in Firestore, alerts on a topic and webhooks, report over HTTP for named members only.

locals {
  repo_root   = "${path.module}/.."
  source_root = coalesce(var.source_root, local.repo_root)
  labels      = merge({ app = "gatewarden" }, var.labels)

  pubsub_service_agent = "service-${data.google_project.host.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Every API the deployment and the functions call in project_id, each for a reason (docs/deploy.md repeats them;
  # test/terraform/first-apply.test.ts derives the list from the resource types used and the functions' calls).
  # Compute Engine and API Gateway are called in the watched projects, not here: `gatewarden doctor` checks them.
  required_apis = [
    "artifactregistry.googleapis.com",     # Cloud Build stores the functions' images here
    "cloudbuild.googleapis.com",           # builds the functions from the source archive
    "cloudfunctions.googleapis.com",       # the three functions
    "cloudresourcemanager.googleapis.com", # data.google_project, every IAM grant, onSweep's tree walk
    "cloudscheduler.googleapis.com",       # the sweep schedule
    "firestore.googleapis.com",            # findings, snapshots, run records
    "iam.googleapis.com",                  # service accounts and custom roles
    "logging.googleapis.com",              # the audit sinks
    "pubsub.googleapis.com",               # audit, sweep, alerts and dead-letter topics and the push subscriptions
    "run.googleapis.com",                  # 2nd gen functions run as Cloud Run services (run.invoker grants)
    "secretmanager.googleapis.com",        # webhook URLs and the signing key
    "serviceusage.googleapis.com",         # google_project_service itself, and doctor's checks
    "storage.googleapis.com",              # the source archive bucket
  ]

  # Only with scc_enabled: the Gatewarden source, its findingsEditor grant, and the event functions' writes.
  scc_apis = ["securitycenter.googleapis.com"]
}

# Read after the APIs it needs (Cloud Resource Manager) are enabled: on a fresh project the read would fail.
data "google_project" "host" {
  project_id = var.project_id

  depends_on = [google_project_service.required]
}

resource "google_project_service" "required" {
  for_each = var.enable_apis ? toset(concat(local.required_apis, var.scc_enabled ? local.scc_apis : [])) : toset([])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "sweep_scope" {
  source = "./modules/sweep-scope"

  mode             = var.mode
  project_id       = var.project_id
  watched_projects = var.watched_projects
  folder_id        = var.folder_id
  organization_id  = var.organization_id
}

module "sink_filter" {
  source = "./modules/sink-filter"

  handled_methods_file = "${local.repo_root}/src/events/handled-methods.json"
}

module "audit_sink" {
  source = "./modules/audit-sink"

  mode             = var.mode
  name             = "${var.name_prefix}-audit"
  watched_projects = module.sweep_scope.sink_projects
  organization_id  = var.organization_id
  folder_id        = var.folder_id
  filter           = module.sink_filter.filter
  topic_id         = google_pubsub_topic.audit.id

  # The sinks (Logging) and their writers' publisher grants wait for the APIs like every other IAM resource.
  depends_on = [google_project_service.required]
}

module "firestore" {
  source = "./modules/firestore"

  project_id        = var.project_id
  database          = var.firestore_database
  location_id       = coalesce(var.firestore_location, var.region)
  create_database   = var.create_firestore_database
  delete_protection = var.firestore_delete_protection
  indexes_file      = "${path.module}/generated/firestore-indexes.json"

  depends_on = [google_project_service.required]
}
