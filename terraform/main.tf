# Gatewarden on Google Cloud: audit sink -> audit topic -> onAuditLog, scheduler -> sweep topic -> onSweep,
# findings in Firestore, alerts on a topic and webhooks, report over HTTP for named members only.

locals {
  repo_root        = "${path.module}/.."
  source_root      = coalesce(var.source_root, local.repo_root)
  watched_projects = length(var.watched_projects) > 0 ? distinct(var.watched_projects) : [var.project_id]
  labels           = merge({ app = "gatewarden" }, var.labels)

  pubsub_service_agent = "service-${data.google_project.host.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  required_apis = [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ]
}

data "google_project" "host" {
  project_id = var.project_id
}

resource "google_project_service" "required" {
  for_each = var.enable_apis ? toset(local.required_apis) : toset([])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "sink_filter" {
  source = "./modules/sink-filter"

  handled_methods_file = "${local.repo_root}/src/events/handled-methods.json"
}

module "audit_sink" {
  source = "./modules/audit-sink"

  mode             = var.mode
  name             = "${var.name_prefix}-audit"
  watched_projects = local.watched_projects
  organization_id  = var.organization_id
  folder_id        = var.folder_id
  filter           = module.sink_filter.filter
  topic_id         = google_pubsub_topic.audit.id
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
