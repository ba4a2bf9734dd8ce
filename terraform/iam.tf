# Identities: one service account per function, each holding only what its function does.
# onAuditLog and onSweep read the watched estate (custom role), write Firestore, publish alerts and read the
# webhook secrets; report only reads Firestore; the push account may only invoke the two event functions; the
# build account builds the functions' images.
#
# Every IAM resource waits for the APIs: service accounts and custom roles are created through the IAM API, and the
# grants through Cloud Resource Manager; on a fresh project the first apply would otherwise race their enabling.

locals {
  reader_permissions = jsondecode(file("${path.module}/generated/reader-permissions.json")).permissions
  # A project-level role cannot hold folder and organisation permissions (the tree walk's): IAM refuses the role.
  reader_project_permissions = jsondecode(file("${path.module}/generated/reader-permissions.json")).projectPermissions
  reader_role_id             = "${replace(var.name_prefix, "-", "_")}_reader"
  reader_role_title          = "Gatewarden reader"
  reader_role_text           = "Reads load balancer, serverless NEG and API Gateway configuration for Gatewarden (generated from the fetchers' declared permissions)."

  # The two functions that judge resources and deliver alerts.
  judging_accounts = {
    audit = google_service_account.audit.email
    sweep = google_service_account.sweep.email
  }
  # The reader role granted on single projects: each watched project in project mode, and in folder mode each
  # named watched project (one outside the folder is not covered by the grant on the folder).
  reader_bindings = {
    for pair in setproduct(module.sweep_scope.reader_projects, keys(local.judging_accounts)) :
    "${pair[0]}/${pair[1]}" => { project = pair[0], account = pair[1] }
  }
  routed_topic_publishers = {
    for pair in setproduct(tolist(var.routed_topics), keys(local.judging_accounts)) :
    "${pair[0]}/${pair[1]}" => { topic = pair[0], account = pair[1] }
  }
}

resource "google_service_account" "audit" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-audit"
  display_name = "Gatewarden onAuditLog"
  description  = "Judges the resources an audit entry names."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "sweep" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-sweep"
  display_name = "Gatewarden onSweep"
  description  = "Re-reads and judges every watched project on a schedule."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "report" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-report"
  display_name = "Gatewarden report"
  description  = "Serves findings read from Firestore."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-push"
  display_name = "Gatewarden Pub/Sub push"
  description  = "Identity in the OIDC token of the push subscriptions; may invoke onAuditLog and onSweep only."

  depends_on = [google_project_service.required]
}

# Project mode: a project custom role can only be granted in its own project, so each watched project gets one.
resource "google_project_iam_custom_role" "reader" {
  for_each = var.mode == "project" ? toset(module.sweep_scope.reader_projects) : toset([])

  project     = each.value
  role_id     = local.reader_role_id
  title       = local.reader_role_title
  description = local.reader_role_text
  permissions = local.reader_project_permissions

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "reader" {
  for_each = local.reader_bindings

  project = each.value.project
  role    = var.mode == "project" ? google_project_iam_custom_role.reader[each.value.project].id : google_organization_iam_custom_role.reader[0].id
  member  = "serviceAccount:${local.judging_accounts[each.value.account]}"

  depends_on = [google_project_service.required]
}

# Organization and folder modes: one organization custom role (folders cannot define roles), granted on the scope.
resource "google_organization_iam_custom_role" "reader" {
  count = var.mode == "project" ? 0 : 1

  org_id      = var.organization_id
  role_id     = local.reader_role_id
  title       = local.reader_role_title
  description = local.reader_role_text
  permissions = local.reader_permissions

  depends_on = [google_project_service.required]
}

resource "google_organization_iam_member" "reader" {
  for_each = var.mode == "organization" ? local.judging_accounts : {}

  org_id = var.organization_id
  role   = google_organization_iam_custom_role.reader[0].id
  member = "serviceAccount:${each.value}"

  depends_on = [google_project_service.required]
}

resource "google_folder_iam_member" "reader" {
  for_each = var.mode == "folder" ? local.judging_accounts : {}

  folder = "folders/${var.folder_id}"
  role   = google_organization_iam_custom_role.reader[0].id
  member = "serviceAccount:${each.value}"

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "firestore_user" {
  for_each = local.judging_accounts

  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${each.value}"

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "report_firestore_viewer" {
  project = var.project_id
  role    = "roles/datastore.viewer"
  member  = "serviceAccount:${google_service_account.report.email}"

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic_iam_member" "alerts_publisher" {
  for_each = local.judging_accounts

  project = var.project_id
  topic   = google_pubsub_topic.alerts.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${each.value}"

  depends_on = [google_project_service.required]
}

# Named Pub/Sub channels of the alert routes: the topic may be in another project (the team's), so it is named in
# full; granting there needs setIamPolicy on that topic, as a secret in another project would.
resource "google_pubsub_topic_iam_member" "routed_topic_publisher" {
  for_each = local.routed_topic_publishers

  topic  = each.value.topic
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${local.judging_accounts[each.value.account]}"

  depends_on = [google_project_service.required]
}

# Pub/Sub mints the push subscriptions' OIDC tokens as the push account (needed explicitly in projects
# created before April 2021; harmless after).
resource "google_service_account_iam_member" "push_token_creator" {
  service_account_id = google_service_account.push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${local.pubsub_service_agent}"

  depends_on = [google_project_service.required]
}

# onSweep fans a multi-project sweep out as one message per project on the topic its tick came from.
resource "google_pubsub_topic_iam_member" "sweep_fan_out_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.sweep.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.sweep.email}"

  depends_on = [google_project_service.required]
}

# Cloud Build builds the functions as this account (build_config.service_account). Without it a project created
# since Cloud Build's 2024 change builds as the Compute Engine default service account, which may lack the
# permissions, or not exist at all when the Compute Engine API is not enabled in project_id.
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = "Gatewarden function builds"
  description  = "Cloud Build runs the functions' builds as this account (reads the source archive, writes images and build logs)."

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "build_builder" {
  project = var.project_id
  role    = "roles/cloudbuild.builds.builder"
  member  = "serviceAccount:${google_service_account.build.email}"

  depends_on = [google_project_service.required]
}

# IAM grants take up to a minute to take effect. A build started at once fails to read the source archive, and a
# deploy that mounts a secret the runtime account cannot read yet is refused: the functions wait for both.
resource "time_sleep" "build_permissions" {
  create_duration = "60s"

  triggers = {
    member = google_project_iam_member.build_builder.member
  }

  depends_on = [
    google_secret_manager_secret_iam_member.webhook_accessor,
    google_secret_manager_secret_iam_member.routed_channel_accessor,
    google_secret_manager_secret_iam_member.webhook_hmac_accessor,
  ]
}
