# The three functions, built from this repository: `npm ci && npm run build` must run before `terraform apply`
# (the archive holds package.json, package-lock.json and the compiled dist/ files of modules/source-files, and Cloud
# Build installs the production dependencies from the lock file).

locals {
  built_files = module.source_files.files

  # Lifecycle scripts are dropped from the deployed package.json: Cloud Build runs `npm ci`, and `prepare`
  # (npm run build) would need the TypeScript sources and compiler, which the archive does not carry.
  deployed_package_json = jsonencode(merge(jsondecode(file("${local.source_root}/package.json")), { scripts = {} }))

  secret_environment = var.webhook_signing ? { GATEWARDEN_WEBHOOK_HMAC_SECRET = google_secret_manager_secret.webhook_hmac[0].secret_id } : {}
}

module "source_files" {
  source = "./modules/source-files"

  source_root = local.source_root
}

data "archive_file" "source" {
  type        = "zip"
  output_path = "${path.module}/build/gatewarden-source.zip"

  source {
    filename = "package.json"
    content  = local.deployed_package_json
  }

  source {
    filename = "package-lock.json"
    content  = file("${local.source_root}/package-lock.json")
  }

  dynamic "source" {
    for_each = local.built_files
    content {
      filename = source.value
      content  = file("${local.source_root}/${source.value}")
    }
  }

  lifecycle {
    precondition {
      condition     = contains(local.built_files, "dist/functions/index.js")
      error_message = "dist/functions/index.js is missing: run `npm ci && npm run build` in the repository root before terraform apply."
    }
  }
}

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = local.labels

  depends_on = [google_project_service.required]
}

resource "google_storage_bucket_object" "source" {
  # Named by content: a new build is a new object, which makes the functions redeploy.
  name   = "gatewarden-${data.archive_file.source.output_sha256}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

module "function_environment" {
  source = "./modules/function-environment"

  project_id         = var.project_id
  firestore_database = module.firestore.database
  alert_topic_id     = google_pubsub_topic.alerts.id
  webhook_secret_ids = { for channel, secret in google_secret_manager_secret.webhook : channel => secret.id }
  min_alert_severity = var.min_alert_severity
  max_event_age      = var.max_event_age
  api_rate_limit     = var.api_rate_limit
  policy             = var.policy_file == null ? null : file(var.policy_file)
  sweep_projects     = module.sweep_scope.sweep_projects
  # Organization and folder modes: events from projects outside the tree are acknowledged unjudged.
  scope = module.sweep_scope.parent
  # Security Command Center (scc_enabled): where findings are mirrored, and the report each one links to.
  scc_source = var.scc_enabled ? google_scc_v2_organization_source.gatewarden[0].name : null
  report_url = var.scc_enabled ? google_cloudfunctions2_function.report.service_config[0].uri : null
}

module "on_audit_log" {
  source = "./modules/event-function"

  project_id                   = var.project_id
  region                       = var.region
  name                         = "${var.name_prefix}-on-audit-log"
  description                  = "Gatewarden: judges the resources each audit entry names."
  entry_point                  = "onAuditLog"
  source_bucket                = google_storage_bucket.source.name
  source_object                = google_storage_bucket_object.source.name
  build_service_account        = google_service_account.build.id
  service_account_email        = google_service_account.audit.email
  environment_variables        = module.function_environment.event_function
  secret_environment_variables = local.secret_environment
  memory                       = var.function_memory
  timeout_seconds              = var.event_function_timeout_seconds
  max_instances                = var.max_instances
  topic_id                     = google_pubsub_topic.audit.id
  dead_letter_topic_id         = google_pubsub_topic.dead_letter.id
  max_delivery_attempts        = var.max_delivery_attempts
  push_service_account_email   = google_service_account.push.email
  pubsub_service_agent         = local.pubsub_service_agent
  labels                       = local.labels

  depends_on = [
    google_project_service.required,
    time_sleep.build_permissions,
    google_project_iam_member.firestore_user,
    google_secret_manager_secret_iam_member.webhook_accessor,
    google_secret_manager_secret_iam_member.routed_channel_accessor,
    google_secret_manager_secret_iam_member.webhook_hmac_accessor,
    # The signing key is mounted as `latest` at start: its version must exist before the function does.
    google_secret_manager_secret_version.webhook_hmac,
    # With scc_enabled, the first findings are written at once: the grant must be there first.
    google_scc_v2_organization_source_iam_member.findings_editor,
  ]
}

module "on_sweep" {
  source = "./modules/event-function"

  project_id                   = var.project_id
  region                       = var.region
  name                         = "${var.name_prefix}-on-sweep"
  description                  = "Gatewarden: re-reads and judges every watched project."
  entry_point                  = "onSweep"
  source_bucket                = google_storage_bucket.source.name
  source_object                = google_storage_bucket_object.source.name
  build_service_account        = google_service_account.build.id
  service_account_email        = google_service_account.sweep.email
  environment_variables        = module.function_environment.event_function
  secret_environment_variables = local.secret_environment
  memory                       = var.function_memory
  timeout_seconds              = var.sweep_function_timeout_seconds
  # A fanned-out sweep sends one message per project, and each project's sweep judges that project's resources, so
  # they run side by side (reconciling in transactions, as concurrent audit events do). One instance would take
  # them one after another, and the pushes it refused meanwhile would use up their delivery attempts.
  max_instances              = var.max_instances
  topic_id                   = google_pubsub_topic.sweep.id
  dead_letter_topic_id       = google_pubsub_topic.dead_letter.id
  max_delivery_attempts      = var.max_delivery_attempts
  push_service_account_email = google_service_account.push.email
  pubsub_service_agent       = local.pubsub_service_agent
  labels                     = local.labels

  depends_on = [
    google_project_service.required,
    time_sleep.build_permissions,
    google_project_iam_member.firestore_user,
    google_secret_manager_secret_iam_member.webhook_accessor,
    google_secret_manager_secret_iam_member.routed_channel_accessor,
    google_secret_manager_secret_iam_member.webhook_hmac_accessor,
    # The signing key is mounted as `latest` at start: its version must exist before the function does.
    google_secret_manager_secret_version.webhook_hmac,
    # With scc_enabled, the first findings are written at once: the grant must be there first.
    google_scc_v2_organization_source_iam_member.findings_editor,
  ]
}

resource "google_cloudfunctions2_function" "report" {
  project     = var.project_id
  location    = var.region
  name        = "${var.name_prefix}-report"
  description = "Gatewarden: findings as JSON, for the members in report_invokers."
  labels      = local.labels

  build_config {
    runtime     = "nodejs24"
    entry_point = "report"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
    service_account = google_service_account.build.id
  }

  service_config {
    available_memory   = var.function_memory
    timeout_seconds    = 60
    max_instance_count = 5
    # Reachable from outside, but every request needs an identity token of a member in report_invokers.
    ingress_settings               = "ALLOW_ALL"
    all_traffic_on_latest_revision = true
    service_account_email          = google_service_account.report.email
    environment_variables          = module.function_environment.report_function
  }

  depends_on = [time_sleep.build_permissions, google_project_iam_member.report_firestore_viewer]
}

resource "google_cloud_run_service_iam_member" "report_invoker" {
  for_each = toset(var.report_invokers)

  project  = var.project_id
  location = google_cloudfunctions2_function.report.location
  service  = google_cloudfunctions2_function.report.name
  role     = "roles/run.invoker"
  member   = each.value

  depends_on = [google_project_service.required]
}
