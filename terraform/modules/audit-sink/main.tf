# Routes the handled audit entries of the watched scope to the audit topic: one sink per project, or one
# aggregated sink for an organisation or folder, each writer identity allowed to publish on that topic only.

variable "mode" {
  description = "project: one sink per watched project; organization or folder: one aggregated sink with include_children."
  type        = string

  validation {
    condition     = contains(["project", "organization", "folder"], var.mode)
    error_message = "mode must be project, organization or folder."
  }
}

variable "name" {
  description = "Sink name."
  type        = string
}

variable "watched_projects" {
  description = "Projects that get a sink in project mode."
  type        = list(string)
  default     = []
}

variable "organization_id" {
  description = "Numeric organization ID (organization mode)."
  type        = string
  default     = null
}

variable "folder_id" {
  description = "Numeric folder ID (folder mode)."
  type        = string
  default     = null
}

variable "filter" {
  description = "Logging query the sink routes."
  type        = string
}

variable "topic_id" {
  description = "Destination topic, as projects/P/topics/T."
  type        = string
}

locals {
  destination = "pubsub.googleapis.com/${var.topic_id}"
  description = "Gatewarden: Admin Activity audit entries of load balancer and API Gateway changes."
}

resource "google_logging_project_sink" "watched" {
  for_each = var.mode == "project" ? toset(var.watched_projects) : toset([])

  project                = each.value
  name                   = var.name
  description            = local.description
  destination            = local.destination
  filter                 = var.filter
  unique_writer_identity = true
}

resource "google_logging_organization_sink" "aggregated" {
  count = var.mode == "organization" ? 1 : 0

  org_id           = var.organization_id
  name             = var.name
  description      = local.description
  destination      = local.destination
  filter           = var.filter
  include_children = true
}

resource "google_logging_folder_sink" "aggregated" {
  count = var.mode == "folder" ? 1 : 0

  folder           = var.folder_id
  name             = var.name
  description      = local.description
  destination      = local.destination
  filter           = var.filter
  include_children = true
}

locals {
  # Keys are known at plan time (for_each needs that); the identities are only known after apply.
  writer_identities = merge(
    { for project, sink in google_logging_project_sink.watched : "project/${project}" => sink.writer_identity },
    { for sink in google_logging_organization_sink.aggregated : "organization/${var.organization_id}" => sink.writer_identity },
    { for sink in google_logging_folder_sink.aggregated : "folder/${var.folder_id}" => sink.writer_identity },
  )
  writer_keys = var.mode == "project" ? [for project in var.watched_projects : "project/${project}"] : var.mode == "organization" ? ["organization/${var.organization_id}"] : ["folder/${var.folder_id}"]
}

resource "google_pubsub_topic_iam_member" "sink_publisher" {
  for_each = toset(local.writer_keys)

  topic  = var.topic_id
  role   = "roles/pubsub.publisher"
  member = local.writer_identities[each.value]
}

output "writer_identities" {
  description = "Writer identity of each sink, keyed by scope (project/P, organization/O or folder/F)."
  value       = local.writer_identities
}

output "sink_names" {
  description = "Full name of each sink (projects/P/sinks/S, organizations/O/sinks/S or folders/F/sinks/S), for gatewarden doctor."
  value = concat(
    [for project in keys(google_logging_project_sink.watched) : "projects/${project}/sinks/${var.name}"],
    [for sink in google_logging_organization_sink.aggregated : "organizations/${var.organization_id}/sinks/${sink.name}"],
    [for sink in google_logging_folder_sink.aggregated : "folders/${var.folder_id}/sinks/${sink.name}"],
  )
}
