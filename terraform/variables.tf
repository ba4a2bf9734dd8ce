# Inputs of the Gatewarden deployment; every one has a description and, where one is sensible, a default.

variable "project_id" {
  description = "Project Gatewarden runs in (functions, topics, Firestore, secrets). It may also be a watched project."
  type        = string

  # The functions refuse a project number here (GOOGLE_CLOUD_PROJECT) when they first run: checked at plan instead.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID like acme-security (not the project number)."
  }
}

variable "region" {
  description = "Region of the functions, the scheduler job and the source bucket."
  type        = string
  default     = "us-central1"
}

variable "mode" {
  description = "project: one sink per project in watched_projects; organization: one aggregated sink on organization_id; folder: one aggregated sink on folder_id (both with include_children)."
  type        = string
  default     = "project"

  validation {
    condition     = contains(["project", "organization", "folder"], var.mode)
    error_message = "mode must be project, organization or folder."
  }
}

variable "watched_projects" {
  description = "Projects whose load balancers and gateways are audited. project mode: each gets a sink and the reader role and is swept; empty: project_id only. organization and folder modes: changes anywhere below are audited; empty sweeps the whole organization or folder, named projects narrow the sweep to them (in folder mode each also gets the reader role on itself, so one outside the folder can be read)."
  type        = list(string)
  default     = []

  # Findings and snapshots are keyed by the IDs selfLinks carry, and the functions refuse a number in the projects
  # they sweep (GATEWARDEN_SWEEP_PROJECTS) when they first run: checked at plan instead.
  validation {
    condition     = alltrue([for project in var.watched_projects : can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", project))])
    error_message = "watched_projects must be project IDs like acme-edge (not project numbers)."
  }
}

variable "organization_id" {
  description = "Numeric organization ID. Required in organization mode, and in folder mode (the custom reader role is defined on the organization: folders cannot hold custom roles)."
  type        = string
  default     = null

  validation {
    condition     = var.mode == "project" || can(regex("^[0-9]+$", var.organization_id))
    error_message = "organization and folder modes need organization_id, the numeric organization ID."
  }
}

variable "folder_id" {
  description = "Numeric folder ID (folder mode)."
  type        = string
  default     = null

  validation {
    condition     = var.mode != "folder" || can(regex("^[0-9]+$", var.folder_id))
    error_message = "folder mode needs folder_id, the numeric folder ID."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name (topics, functions, service accounts, sinks). Lowercase letters, digits and hyphens, at most 14 characters so service account IDs stay within 30; not starting with goog (Pub/Sub) nor containing google (Cloud Storage)."
  type        = string
  default     = "gatewarden"

  # Topic and subscription names start with it, and Pub/Sub refuses names starting with "goog"; the source bucket's
  # name holds it, and Cloud Storage refuses bucket names containing "google". Both only mid-apply, so checked here.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,13}$", var.name_prefix)) && !startswith(var.name_prefix, "goog") && !strcontains(var.name_prefix, "google")
    error_message = "name_prefix must be 2 to 14 lowercase letters, digits or hyphens, starting with a letter, neither starting with goog nor containing google (Pub/Sub and Cloud Storage refuse such names)."
  }
}

variable "enable_apis" {
  description = "Enable the Google APIs the deployment needs in project_id (left enabled on destroy)."
  type        = bool
  default     = true
}

variable "source_root" {
  description = "Repository root holding package.json, package-lock.json and dist/ (run `npm ci && npm run build` first). Null: the parent of this directory."
  type        = string
  default     = null
}

variable "firestore_database" {
  description = "Firestore database ID."
  type        = string
  default     = "(default)"
}

variable "firestore_location" {
  description = "Firestore location; null uses region. Multi-regions like nam5 or eur3 also work."
  type        = string
  default     = null
}

variable "create_firestore_database" {
  description = "Create the Firestore database; set false when it already exists (for example a (default) database used by something else)."
  type        = bool
  default     = true
}

variable "firestore_delete_protection" {
  description = "Protect the Firestore database from deletion (set false before `terraform destroy` if it should go too)."
  type        = bool
  default     = true
}

variable "sweep_schedule" {
  description = "Cron schedule of the full sweep that re-reads everything and catches missed events."
  type        = string
  default     = "0 */6 * * *"
}

variable "sweep_time_zone" {
  description = "Time zone of sweep_schedule."
  type        = string
  default     = "Etc/UTC"
}

variable "event_function_timeout_seconds" {
  description = "Timeout of onAuditLog (and the ack deadline of its subscription)."
  type        = number
  default     = 120
}

variable "sweep_function_timeout_seconds" {
  description = "Timeout of onSweep (and the ack deadline of its subscription, at most 600)."
  type        = number
  default     = 540
}

variable "function_memory" {
  description = "Memory of each function instance, like 512Mi or 1Gi (Cloud Run functions take 128Mi to 32Gi; the CPU follows the memory)."
  type        = string
  default     = "512Mi"

  # Checked here, at plan: the Cloud Functions API refuses a bad value only when the first function is created, after
  # the topics, sinks, accounts and Firestore of a first apply already exist.
  validation {
    condition = can(regex("^[1-9][0-9]*(Mi|Gi|M|G)$", var.function_memory)) && try(
      tonumber(regex("^[0-9]+", var.function_memory)) * (endswith(var.function_memory, "G") || endswith(var.function_memory, "Gi") ? 1024 : 1) >= 128 &&
      tonumber(regex("^[0-9]+", var.function_memory)) * (endswith(var.function_memory, "G") || endswith(var.function_memory, "Gi") ? 1024 : 1) <= 32768,
      false,
    )
    error_message = "function_memory must be 128Mi to 32Gi, written with Mi or Gi (like 512Mi, 1Gi)."
  }
}

variable "max_instances" {
  description = "Upper bound on instances of each event function: onAuditLog, and onSweep (one invocation per project of a fanned-out sweep). The report function has its own cap of 5."
  type        = number
  default     = 20
}

variable "max_delivery_attempts" {
  description = "Deliveries of an event before it is moved to the dead-letter topic (5 to 100)."
  type        = number
  default     = 10
}

variable "report_invokers" {
  description = "IAM members allowed to call the report function, like group:secops@example.com or serviceAccount:dash@p.iam.gserviceaccount.com. allUsers and allAuthenticatedUsers are refused."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for member in var.report_invokers : !contains(["allusers", "allauthenticatedusers"], lower(member))])
    error_message = "report_invokers must not contain allUsers or allAuthenticatedUsers: the report lists every finding."
  }
}

variable "webhook_channels" {
  description = "Webhook channels to alert on: slack and/or google-chat. Each gets a Secret Manager secret for its URL; add the URL as a secret version (see docs/deploy.md) so it never enters Terraform state."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for channel in var.webhook_channels : contains(["slack", "google-chat"], channel)])
    error_message = "webhook_channels may hold slack and google-chat only."
  }
}

variable "routed_webhook_channels" {
  description = "Named Slack / Google Chat channels of the policy's alert routes (alerts.namedChannels), like payments-slack. Each gets a Secret Manager secret PREFIX-channel-NAME that the judging functions may read (the routed_channel_secrets output gives the name to put in the policy); add the team's webhook URL as its version (docs/deploy.md)."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.routed_webhook_channels : can(regex("^[A-Za-z][A-Za-z0-9_-]{0,62}$", name))])
    error_message = "routed_webhook_channels holds channel names as the policy spells them: a letter, then letters, digits, _ or - (at most 63)."
  }
}

variable "routed_topics" {
  description = "Pub/Sub topics of the policy's named channels (alerts.namedChannels with type pubsub), as the policy names them: projects/PROJECT/topics/TOPIC. The judging functions get roles/pubsub.publisher on each; the topic itself is the team's and is not created here."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for topic in var.routed_topics : can(regex("^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][-A-Za-z0-9._~%+]{2,254}$", topic))])
    error_message = "routed_topics holds full topic names as the policy spells them: projects/PROJECT/topics/TOPIC."
  }
}

variable "webhook_signing" {
  description = "Sign webhook bodies with an HMAC key that Terraform generates and keeps in Secret Manager (receivers read it from there)."
  type        = bool
  default     = false
}

variable "webhook_signing_key_version" {
  description = "Version of the generated HMAC signing key: raise it by one to rotate the key (Terraform writes a new key, never keeping it in state)."
  type        = number
  default     = 1

  validation {
    condition     = var.webhook_signing_key_version >= 1 && floor(var.webhook_signing_key_version) == var.webhook_signing_key_version
    error_message = "webhook_signing_key_version must be a whole number from 1."
  }
}

variable "min_alert_severity" {
  description = "Minimum severity that alerts (LOW, MEDIUM, HIGH, CRITICAL); null defers to the policy."
  type        = string
  default     = null
}

variable "max_event_age" {
  description = "Events older than this (like 24h, or off) are acknowledged and left to the sweep; null keeps the code's default (24h)."
  type        = string
  default     = null
}

variable "api_rate_limit" {
  description = "Google API requests per second per watched project, retries included; null keeps the code's default (20)."
  type        = number
  default     = null
}

variable "policy_file" {
  description = "Path to a policy file (YAML or JSON) passed to the functions inline; null runs the default policy."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels on the resources that take them."
  type        = map(string)
  default     = {}
}

variable "scc_enabled" {
  description = "Mirror every finding to Security Command Center: creates a Gatewarden source in organization_id, grants the event functions' account findingsEditor on it, and enables the Security Command Center API. Off by default."
  type        = bool
  default     = false

  validation {
    condition     = !var.scc_enabled || can(regex("^[0-9]+$", var.organization_id))
    error_message = "scc_enabled needs organization_id: Security Command Center sources belong to an organization."
  }
}
