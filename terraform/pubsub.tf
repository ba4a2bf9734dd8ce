# Topics: audit entries in, sweep ticks in, alerts out, and the dead-letter topic that keeps what could not be handled.

resource "google_pubsub_topic" "audit" {
  project = var.project_id
  name    = "${var.name_prefix}-audit-log"
  labels  = local.labels

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic" "sweep" {
  project = var.project_id
  name    = "${var.name_prefix}-sweep"
  labels  = local.labels

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic" "alerts" {
  project = var.project_id
  name    = "${var.name_prefix}-alerts"
  labels  = local.labels

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = "${var.name_prefix}-dead-letter"
  labels  = local.labels

  depends_on = [google_project_service.required]
}

# Messages forwarded to a topic without a subscription are lost; this one keeps them for a week to inspect
# (`gcloud pubsub subscriptions pull`) and replay.
resource "google_pubsub_subscription" "dead_letter" {
  project = var.project_id
  name    = "${var.name_prefix}-dead-letter"
  topic   = google_pubsub_topic.dead_letter.id
  labels  = local.labels

  message_retention_duration = "604800s"
  retain_acked_messages      = true
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = ""
  }
}

# The Pub/Sub service agent forwards undeliverable messages, so it publishes on the dead-letter topic (and
# subscribes to each source subscription: see modules/event-function).
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${local.pubsub_service_agent}"

  depends_on = [google_project_service.required]
}

resource "google_cloud_scheduler_job" "sweep" {
  project     = var.project_id
  region      = var.region
  name        = "${var.name_prefix}-sweep"
  description = "Gatewarden full sweep: re-reads every watched project and catches changes no event reported."
  schedule    = var.sweep_schedule
  time_zone   = var.sweep_time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.sweep.id
    # {} sweeps GATEWARDEN_SWEEP_PROJECTS; with no watched projects in folder or organization mode the message names
    # the folder or organisation, whose projects onSweep finds by walking every folder beneath it (modules/sweep-scope).
    data = base64encode(module.sweep_scope.scheduler_message)
  }

  depends_on = [google_project_service.required]
}
