# One Gatewarden function fed by Pub/Sub: the function, and the push subscription that delivers to it with
# retries and a dead-letter topic.
#
# Why not `event_trigger`: the subscription Eventarc creates for a google_cloudfunctions2_function is managed
# by Eventarc and cannot be given a dead_letter_policy from Terraform (editing it by hand is drift that the next
# trigger update overwrites); with retry_policy = RETRY_POLICY_RETRY alone, a message still failing after the
# 24-hour retry window is dropped without trace. So the function is deployed without a trigger and this module
# owns the push subscription: Pub/Sub redelivers every non-2xx answer with exponential backoff (the same 10 s to
# 600 s as RETRY_POLICY_RETRY) and, after max_delivery_attempts, forwards the message to the dead-letter topic.
# The Functions Framework turns the raw push into the same messagePublished CloudEvent because the endpoint path
# names the topic (projects/P/topics/T); the push carries an OIDC token of a service account that may invoke
# this function and nothing else.

variable "project_id" {
  description = "Project the function and its subscription live in."
  type        = string
}

variable "region" {
  description = "Region of the function."
  type        = string
}

variable "name" {
  description = "Function name (also the Cloud Run service name)."
  type        = string
}

variable "description" {
  description = "What the function does, shown in the console."
  type        = string
}

variable "entry_point" {
  description = "Function registered with the Functions Framework in functions/index.ts (onAuditLog or onSweep)."
  type        = string
}

variable "source_bucket" {
  description = "Bucket holding the source archive."
  type        = string
}

variable "source_object" {
  description = "Source archive object (its name changes with its content, so a new build redeploys)."
  type        = string
}

variable "build_service_account" {
  description = "Service account Cloud Build builds the function as, as projects/P/serviceAccounts/EMAIL."
  type        = string
}

variable "service_account_email" {
  description = "Identity the function runs as."
  type        = string
}

variable "environment_variables" {
  description = "Plain environment variables (names accepted by src/config/environment.ts)."
  type        = map(string)
}

variable "secret_environment_variables" {
  description = "Environment variables read from Secret Manager at start: variable name -> secret ID (latest version)."
  type        = map(string)
  default     = {}
}

variable "memory" {
  description = "Memory per instance."
  type        = string
  default     = "512Mi"
}

variable "timeout_seconds" {
  description = "Longest an invocation may run; also the subscription's ack deadline (Pub/Sub allows at most 600)."
  type        = number
  default     = 300

  validation {
    condition     = var.timeout_seconds >= 10 && var.timeout_seconds <= 600
    error_message = "timeout_seconds must be 10 to 600 (the push subscription's ack deadline is capped at 600)."
  }
}

variable "max_instances" {
  description = "Upper bound on instances (caps the read rate against Google APIs and Firestore)."
  type        = number
  default     = 20
}

variable "topic_id" {
  description = "Topic the function consumes, as projects/P/topics/T."
  type        = string
}

variable "dead_letter_topic_id" {
  description = "Topic undeliverable messages are forwarded to, as projects/P/topics/T."
  type        = string
}

variable "max_delivery_attempts" {
  description = "Deliveries before a message goes to the dead-letter topic (Pub/Sub accepts 5 to 100)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be 5 to 100."
  }
}

variable "push_service_account_email" {
  description = "Service account whose OIDC token the push subscription presents; it gets run.invoker on this function only."
  type        = string
}

variable "pubsub_service_agent" {
  description = "The project's Pub/Sub service agent (service-NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com); dead-lettering needs it to subscribe here."
  type        = string
}

variable "labels" {
  description = "Labels on the function and subscription."
  type        = map(string)
  default     = {}
}

resource "google_cloudfunctions2_function" "this" {
  project     = var.project_id
  location    = var.region
  name        = var.name
  description = var.description
  labels      = var.labels

  build_config {
    runtime     = "nodejs24"
    entry_point = var.entry_point
    source {
      storage_source {
        bucket = var.source_bucket
        object = var.source_object
      }
    }
    service_account = var.build_service_account
  }

  service_config {
    available_memory                 = var.memory
    timeout_seconds                  = var.timeout_seconds
    max_instance_count               = var.max_instances
    max_instance_request_concurrency = 1
    service_account_email            = var.service_account_email
    # Pub/Sub push from the same project counts as internal traffic; nothing else needs to reach it.
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    environment_variables          = var.environment_variables

    dynamic "secret_environment_variables" {
      for_each = var.secret_environment_variables
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }
}

resource "google_cloud_run_service_iam_member" "push_invoker" {
  project  = var.project_id
  location = google_cloudfunctions2_function.this.location
  service  = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${var.push_service_account_email}"
}

resource "google_pubsub_subscription" "push" {
  project = var.project_id
  name    = "${var.name}-push"
  topic   = var.topic_id
  labels  = var.labels

  ack_deadline_seconds       = var.timeout_seconds
  message_retention_duration = "604800s"

  push_config {
    # The path names the topic so the Functions Framework builds the messagePublished CloudEvent from the push.
    push_endpoint = "${google_cloudfunctions2_function.this.service_config[0].uri}/${var.topic_id}"
    oidc_token {
      service_account_email = var.push_service_account_email
      audience              = google_cloudfunctions2_function.this.service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = var.dead_letter_topic_id
    max_delivery_attempts = var.max_delivery_attempts
  }

  # An idle subscription would otherwise be deleted after 31 days and events silently stop.
  expiration_policy {
    ttl = ""
  }

  depends_on = [google_cloud_run_service_iam_member.push_invoker]
}

# Forwarding to the dead-letter topic is done by the Pub/Sub service agent, which must be able to acknowledge
# here (and publish there: granted once on the dead-letter topic by the root module).
resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  project      = var.project_id
  subscription = google_pubsub_subscription.push.name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${var.pubsub_service_agent}"
}

output "name" {
  description = "Function name."
  value       = google_cloudfunctions2_function.this.name
}

output "uri" {
  description = "Function URL (internal ingress: reachable by Pub/Sub push, not from the internet)."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "subscription" {
  description = "Push subscription delivering to the function."
  value       = google_pubsub_subscription.push.name
}

output "subscription_id" {
  description = "Push subscription as projects/P/subscriptions/S."
  value       = google_pubsub_subscription.push.id
}
