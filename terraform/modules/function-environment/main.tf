# The environment variables each Gatewarden function gets, in one place so the tests can evaluate them.
# Provider-free on purpose: `terraform console` evaluates it without downloading anything.

variable "project_id" {
  description = "Project the functions run in (GOOGLE_CLOUD_PROJECT)."
  type        = string
}

variable "firestore_database" {
  description = "Firestore database ID the functions use."
  type        = string
  default     = "(default)"
}

variable "alert_topic_id" {
  description = "Alerts topic, as projects/P/topics/T; null leaves the Pub/Sub alert channel off."
  type        = string
  default     = null
}

variable "webhook_secret_ids" {
  description = "Secret Manager secret per webhook channel (keys slack and google-chat), as projects/P/secrets/S."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for channel in keys(var.webhook_secret_ids) : contains(["slack", "google-chat"], channel)])
    error_message = "webhook_secret_ids keys must be slack or google-chat."
  }
}

variable "min_alert_severity" {
  description = "Minimum severity that alerts (LOW, MEDIUM, HIGH, CRITICAL); null defers to the policy file."
  type        = string
  default     = null

  validation {
    condition     = var.min_alert_severity == null || contains(["LOW", "MEDIUM", "HIGH", "CRITICAL"], coalesce(var.min_alert_severity, "LOW"))
    error_message = "min_alert_severity must be LOW, MEDIUM, HIGH or CRITICAL."
  }
}

variable "digest_window_ms" {
  description = "Milliseconds an invocation waits to group alerts into one digest; null keeps the code's default."
  type        = number
  default     = null
}

variable "max_event_age" {
  description = "Events older than this (like 24h, or off) are counted, not judged; null keeps the code's default."
  type        = string
  default     = null

  # The functions read the setting on their first invocation, not at deploy: a value they refuse would deploy cleanly
  # and then fail every event until its deliveries ran out. Same grammar as the loader (parseDuration), at plan.
  validation {
    # try() per operand: Terraform's || evaluates both sides, and regex fails on "off".
    condition = var.max_event_age == null || try(lower(var.max_event_age) == "off", false) || try(
      tonumber(regex(local.duration_pattern, var.max_event_age)[0]) *
      local.duration_units_ms[regex(local.duration_pattern, var.max_event_age)[1]] >= 0.5,
      false,
    )
    error_message = "max_event_age must be a duration like 24h, 90m, 3600s, 500ms or 7d (above zero), or off."
  }
}

variable "api_rate_limit" {
  description = "Google API requests per second per project (retries included); null keeps the code's default (20)."
  type        = number
  default     = null

  # Checked here for the same reason as max_event_age: the loader refuses 0, negatives and more than 100,000.
  validation {
    condition     = var.api_rate_limit == null || try(var.api_rate_limit > 0 && var.api_rate_limit <= 100000, false)
    error_message = "api_rate_limit must be above 0 and at most 100000 requests per second (null keeps the default)."
  }
}

variable "max_delivery_attempts" {
  description = "Deliveries of one event after which it is acknowledged and recorded in skipped/; null: no limit."
  type        = number
  default     = null
}

variable "policy" {
  description = "Policy file text (YAML or JSON) passed inline; null runs the default policy."
  type        = string
  default     = null
}

variable "sweep_projects" {
  description = "Projects the scheduled sweep covers."
  type        = list(string)
  default     = []
}

variable "scope" {
  description = "The folder or organisation the installation watches (folders/N or organizations/N); null in project mode. Sweeps walk every project beneath it, and events from projects outside it are acknowledged unjudged."
  type        = string
  default     = null

  validation {
    condition     = var.scope == null || can(regex("^(folders|organizations)/[0-9]+$", coalesce(var.scope, "folders/0")))
    error_message = "scope must be folders/N or organizations/N."
  }
}

variable "scc_source" {
  description = "Security Command Center source findings are mirrored to (organizations/O/sources/S); null leaves the mirror off."
  type        = string
  default     = null
}

variable "report_url" {
  description = "The report function's URL, linked from each Security Command Center finding; null: no link."
  type        = string
  default     = null
}

locals {
  # The loader's duration grammar (parseDuration in src/config/environment.ts): a number and a unit.
  duration_pattern  = "^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h|d)\\s*$"
  duration_units_ms = { ms = 1, s = 1000, m = 60000, h = 3600000, d = 86400000 }

  # Channel names as the policy file spells them -> the loader's variable.
  webhook_variables = {
    slack         = "GATEWARDEN_SLACK_WEBHOOK_SECRET"
    "google-chat" = "GATEWARDEN_CHAT_WEBHOOK_SECRET"
  }

  common = merge(
    {
      GOOGLE_CLOUD_PROJECT          = var.project_id
      GATEWARDEN_FIRESTORE_DATABASE = var.firestore_database
    },
    var.policy == null ? {} : { GATEWARDEN_POLICY = var.policy },
  )

  # Both event functions judge and deliver alerts, so both get every channel; the report only reads findings.
  event = merge(
    local.common,
    var.alert_topic_id == null ? {} : { GATEWARDEN_ALERT_TOPIC = var.alert_topic_id },
    # The secret's name, not its value: the function reads the URL from Secret Manager, so it never sits in
    # the function's configuration or in Terraform state.
    { for channel, secret in var.webhook_secret_ids : local.webhook_variables[channel] => "${secret}/versions/latest" },
    var.min_alert_severity == null ? {} : { GATEWARDEN_MIN_ALERT_SEVERITY = var.min_alert_severity },
    var.digest_window_ms == null ? {} : { GATEWARDEN_DIGEST_WINDOW_MS = tostring(var.digest_window_ms) },
    var.max_event_age == null ? {} : { GATEWARDEN_MAX_EVENT_AGE = var.max_event_age },
    var.api_rate_limit == null ? {} : { GATEWARDEN_API_RATE_LIMIT = tostring(var.api_rate_limit) },
    var.max_delivery_attempts == null ? {} : { GATEWARDEN_MAX_DELIVERY_ATTEMPTS = tostring(var.max_delivery_attempts) },
    length(var.sweep_projects) == 0 ? {} : { GATEWARDEN_SWEEP_PROJECTS = join(",", var.sweep_projects) },
    var.scope == null ? {} : { GATEWARDEN_SCOPE = var.scope },
    var.scc_source == null ? {} : { GATEWARDEN_SCC_SOURCE = var.scc_source },
    var.report_url == null ? {} : { GATEWARDEN_REPORT_URL = var.report_url },
  )
}

output "event_function" {
  description = "Environment of onAuditLog and onSweep."
  value       = local.event
}

output "report_function" {
  description = "Environment of report: only what reading findings needs."
  value       = local.common
}
