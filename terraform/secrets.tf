# Webhook secrets: one Secret Manager secret per channel (its URL), and optionally the HMAC signing key.

locals {
  webhook_secret_names = { slack = "slack-webhook", "google-chat" = "chat-webhook" }
  webhook_accessors = {
    for pair in setproduct(tolist(var.webhook_channels), keys(local.judging_accounts)) :
    "${pair[0]}/${pair[1]}" => { channel = pair[0], account = pair[1] }
  }
  routed_channel_accessors = {
    for pair in setproduct(tolist(var.routed_webhook_channels), keys(local.judging_accounts)) :
    "${pair[0]}/${pair[1]}" => { channel = pair[0], account = pair[1] }
  }
}

# No version here: the URL is the credential, and a version created by Terraform would keep it in state.
# Add it with `gcloud secrets versions add` (docs/deploy.md).
resource "google_secret_manager_secret" "webhook" {
  for_each = var.webhook_channels

  project   = var.project_id
  secret_id = "${var.name_prefix}-${local.webhook_secret_names[each.value]}"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_iam_member" "webhook_accessor" {
  for_each = local.webhook_accessors

  project   = var.project_id
  secret_id = google_secret_manager_secret.webhook[each.value.channel].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${local.judging_accounts[each.value.account]}"

  depends_on = [google_project_service.required]
}

# Named webhook channels of the policy's alert routes (alerts.namedChannels): one secret per channel, named in the
# policy as projects/PROJECT/secrets/PREFIX-channel-NAME (the routed_channel_secrets output). Like the default
# channels' secrets, no version here: the team's webhook URL is added with `gcloud secrets versions add`.
resource "google_secret_manager_secret" "routed_channel" {
  for_each = var.routed_webhook_channels

  project   = var.project_id
  secret_id = "${var.name_prefix}-channel-${each.value}"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_iam_member" "routed_channel_accessor" {
  for_each = local.routed_channel_accessors

  project   = var.project_id
  secret_id = google_secret_manager_secret.routed_channel[each.value.channel].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${local.judging_accounts[each.value.account]}"

  depends_on = [google_project_service.required]
}

# Generated, so no person ever handles it; receivers that verify signatures read it from Secret Manager.
# Ephemeral, and written through the write-only secret_data_wo: the key is in neither the plan nor the state
# (a random_password resource and secret_data would each keep a copy there). A new key is drawn on every run but
# sent only when secret_data_wo_version changes: raise webhook_signing_key_version to rotate it.
ephemeral "random_password" "webhook_hmac" {
  count = var.webhook_signing ? 1 : 0

  length  = 48
  special = false
}

resource "google_secret_manager_secret" "webhook_hmac" {
  count = var.webhook_signing ? 1 : 0

  project   = var.project_id
  secret_id = "${var.name_prefix}-webhook-hmac"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_version" "webhook_hmac" {
  count = var.webhook_signing ? 1 : 0

  secret                 = google_secret_manager_secret.webhook_hmac[0].id
  secret_data_wo         = ephemeral.random_password.webhook_hmac[0].result
  secret_data_wo_version = var.webhook_signing_key_version
}

resource "google_secret_manager_secret_iam_member" "webhook_hmac_accessor" {
  for_each = var.webhook_signing ? local.judging_accounts : {}

  project   = var.project_id
  secret_id = google_secret_manager_secret.webhook_hmac[0].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${each.value}"

  depends_on = [google_project_service.required]
}
