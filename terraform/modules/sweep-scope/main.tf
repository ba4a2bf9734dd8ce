# What the scheduled sweep covers and where the reader role is granted, from the mode and the watched projects.
# Provider-free on purpose: the tests evaluate it with `terraform console` without downloading anything.
#
# project mode: the watched projects (project_id when none are named), each with its own sink and reader role.
# folder / organization mode: with no watched projects the sweep covers the whole folder or organisation (the
# scheduler names it, and onSweep walks every folder beneath it for its projects); named watched projects narrow the sweep
# to them. In folder mode each named project also gets the reader role on itself: one outside the folder (project_id
# often is) would otherwise be swept without any permission to read it.

variable "mode" {
  description = "project, folder or organization (as the root module's mode)."
  type        = string

  validation {
    condition     = contains(["project", "organization", "folder"], var.mode)
    error_message = "mode must be project, organization or folder."
  }
}

variable "project_id" {
  description = "Project Gatewarden runs in; the one watched project in project mode when watched_projects is empty."
  type        = string
}

variable "watched_projects" {
  description = "Projects named in the root module's watched_projects (may be empty)."
  type        = list(string)
  default     = []
}

variable "folder_id" {
  description = "Numeric folder ID (folder mode)."
  type        = string
  default     = null
}

variable "organization_id" {
  description = "Numeric organization ID (organization and folder modes)."
  type        = string
  default     = null
}

locals {
  named = distinct(var.watched_projects)

  # `folders/F` or `organizations/O`: the scope a folder or organisation deployment watches; null in project mode.
  parent = var.mode == "folder" ? "folders/${var.folder_id}" : var.mode == "organization" ? "organizations/${var.organization_id}" : null

  # Projects the scheduler's plain tick sweeps (GATEWARDEN_SWEEP_PROJECTS); empty when the tick names the parent.
  sweep_projects = length(local.named) > 0 ? local.named : var.mode == "project" ? [var.project_id] : []

  # The scheduler's message: `{}` sweeps the configured projects; a folder or organisation scope is named
  # (the sweep message format of src/app/sweep-scope.ts).
  scheduler_message = length(local.sweep_projects) > 0 ? "{}" : jsonencode(var.mode == "folder" ? { folder = local.parent } : { organization = local.parent })

  # Projects that get a sink of their own (project mode only; the other modes have one aggregated sink).
  sink_projects = var.mode == "project" ? local.sweep_projects : []

  # Projects where the reader role is granted on the project itself. In organization mode the grant on the
  # organisation covers every project in it.
  reader_projects = var.mode == "organization" ? [] : local.sweep_projects
}

output "parent" {
  description = "folders/F or organizations/O in those modes; null in project mode."
  value       = local.parent
}

output "sweep_projects" {
  description = "Projects a plain scheduler tick sweeps (GATEWARDEN_SWEEP_PROJECTS); empty when the tick names the folder or organisation."
  value       = local.sweep_projects
}

output "scheduler_message" {
  description = "Body of the scheduler's sweep message: {} for the configured projects, or the folder or organisation to sweep."
  value       = local.scheduler_message
}

output "sink_projects" {
  description = "Projects that get their own audit sink (project mode)."
  value       = local.sink_projects
}

output "reader_projects" {
  description = "Projects the reader role is granted on directly (project mode, and named projects in folder mode)."
  value       = local.reader_projects
}
