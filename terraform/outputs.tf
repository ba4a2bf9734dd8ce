# What an operator needs after apply: where events and alerts flow, where the functions answer, and a smoke test.

output "audit_topic" {
  description = "Topic the audit sink publishes to."
  value       = google_pubsub_topic.audit.id
}

output "alerts_topic" {
  description = "Topic alerts are published to; subscribe to it (attributes ruleId, severity, transition, project filter)."
  value       = google_pubsub_topic.alerts.id
}

output "sweep_topic" {
  description = "Topic the scheduler publishes sweep ticks to; publish {\"projects\": [...]} to sweep now."
  value       = google_pubsub_topic.sweep.id
}

output "dead_letter_topic" {
  description = "Topic that receives events the functions could not handle after max_delivery_attempts."
  value       = google_pubsub_topic.dead_letter.id
}

output "dead_letter_subscription" {
  description = "Subscription holding dead-lettered messages for a week (pull it to inspect)."
  value       = google_pubsub_subscription.dead_letter.id
}

output "function_urls" {
  description = "Function URLs. onAuditLog and onSweep accept internal traffic only (their push subscriptions); report needs an identity token of a report_invokers member."
  value = {
    onAuditLog = module.on_audit_log.uri
    onSweep    = module.on_sweep.uri
    report     = google_cloudfunctions2_function.report.service_config[0].uri
  }
}

output "sink_writer_identities" {
  description = "Writer identity of each audit sink (granted publisher on the audit topic)."
  value       = module.audit_sink.writer_identities
}

output "sink_filter" {
  description = "The Log Router filter of the audit sink(s)."
  value       = module.sink_filter.filter
}

output "smoke_test" {
  description = "One line that runs a sweep now and, a minute later, prints the open findings. Run it as someone who holds pubsub.topics.publish on the sweep topic (roles/pubsub.publisher) and is a report_invokers member."
  value       = "gcloud pubsub topics publish ${google_pubsub_topic.sweep.id} --message='${module.sweep_scope.scheduler_message}' && sleep 60 && curl -sS -H \"Authorization: Bearer $(gcloud auth print-identity-token)\" '${google_cloudfunctions2_function.report.service_config[0].uri}?state=open&limit=20'"
}

output "deployment" {
  description = "What `gatewarden doctor --deployment` checks: pass it `terraform output -json` (docs/deploy.md)."
  value = {
    project_id         = var.project_id
    mode               = var.mode
    scope              = module.sweep_scope.parent
    firestore_database = module.firestore.database
    audit_topic        = google_pubsub_topic.audit.id
    sweep_topic        = google_pubsub_topic.sweep.id
    sinks              = module.audit_sink.sink_names
    push_subscriptions = [module.on_audit_log.subscription_id, module.on_sweep.subscription_id]
    sweep_projects     = module.sweep_scope.sweep_projects
    judging_accounts   = values(local.judging_accounts)
    reader_role        = var.mode == "project" ? "projects/${var.project_id}/roles/${local.reader_role_id}" : "organizations/${var.organization_id}/roles/${local.reader_role_id}"
  }
}

output "report_url" {
  description = "URL of the report function; call it with an identity token of a report_invokers member (docs/deploy.md)."
  value       = google_cloudfunctions2_function.report.service_config[0].uri
}

output "function_names" {
  description = "Name of each function, for `gcloud functions logs read NAME --region=REGION`."
  value = {
    onAuditLog = module.on_audit_log.name
    onSweep    = module.on_sweep.name
    report     = google_cloudfunctions2_function.report.name
  }
}

output "webhook_secrets" {
  description = "Secret Manager secret ID per webhook channel in webhook_channels (slack, google-chat): add each URL as a version of it (docs/deploy.md). Empty when no channel is configured."
  value       = { for channel, secret in google_secret_manager_secret.webhook : channel => secret.secret_id }
}

output "scc_source" {
  description = "Security Command Center source Gatewarden's findings are mirrored to (organizations/O/sources/S); null unless scc_enabled. Backfill existing findings with gatewarden scc sync."
  value       = var.scc_enabled ? google_scc_v2_organization_source.gatewarden[0].name : null
}

output "routed_channel_secrets" {
  description = "Secret Manager secret per routed webhook channel in routed_webhook_channels: the full name to put in the policy's alerts.namedChannels.NAME.webhookSecret. Add the team's webhook URL as its version (docs/deploy.md)."
  value       = { for name, secret in google_secret_manager_secret.routed_channel : name => secret.id }
}
