# Security Command Center (scc_enabled, off by default): Gatewarden's own finding source in the organization, and
# the right to write findings into it for the account onAuditLog and onSweep run as (both deliver the outbox).

resource "google_scc_v2_organization_source" "gatewarden" {
  count = var.scc_enabled ? 1 : 0

  organization = var.organization_id
  display_name = "Gatewarden"
  description  = "Load-balancer and API Gateway exposure findings written by Gatewarden (${var.project_id})."

  depends_on = [google_project_service.required]
}

# Scoped to the source, not the organization: the functions can write Gatewarden's findings and nothing else.
resource "google_scc_v2_organization_source_iam_member" "findings_editor" {
  for_each = var.scc_enabled ? local.judging_accounts : {}

  organization = var.organization_id
  source       = google_scc_v2_organization_source.gatewarden[0].name
  role         = "roles/securitycenter.findingsEditor"
  member       = "serviceAccount:${each.value}"

  depends_on = [google_project_service.required]
}
