# Firestore for Gatewarden: the native-mode database, TTL on the dedupe and outbox collections, and the
# indexes the adapters' queries need (read from terraform/generated/firestore-indexes.json, written from the code).

variable "project_id" {
  description = "Project of the database."
  type        = string
}

variable "database" {
  description = "Database ID; (default) unless several deployments share a project."
  type        = string
  default     = "(default)"
}

variable "location_id" {
  description = "Firestore location (a region like europe-west1, or a multi-region like nam5 or eur3)."
  type        = string
}

variable "create_database" {
  description = "Create the database; false when it already exists (a project has at most one (default) database)."
  type        = bool
  default     = true
}

variable "delete_protection" {
  description = "Refuse to delete the database (findings history is audit evidence)."
  type        = bool
  default     = true
}

variable "indexes_file" {
  description = "Path to terraform/generated/firestore-indexes.json."
  type        = string
}

locals {
  declared = jsondecode(file(var.indexes_file))

  # TTL deletes a document some time (usually within 24 h) after the timestamp in the field; documents without
  # a timestamp there are never deleted. events.expiresAt is the dedupe record's expiry. An outbox entry holds
  # sentAt = null until delivered, so only delivered alerts expire; pending ones stay until they are sent.
  # deliveries and skipped carry the same expiry as the dedupe record they go with.
  ttl_fields = {
    "events/expiresAt"     = { collection = "events", field = "expiresAt" }
    "outbox/sentAt"        = { collection = "outbox", field = "sentAt" }
    "deliveries/expiresAt" = { collection = "deliveries", field = "expiresAt" }
    "skipped/expiresAt"    = { collection = "skipped", field = "expiresAt" }
    # What the SCC mirror already wrote or was refused (a week: longer than any outbox record stays pending).
    "sccWrites/expiresAt" = { collection = "sccWrites", field = "expiresAt" }
  }

  unindexed_fields = { for item in local.declared.unindexedFields : "${item.collection}/${item.field}" => item }
  composite_indexes = {
    for index in local.declared.compositeIndexes :
    "${index.collection}/${join(",", [for field in index.fields : "${field.field}:${field.order}"])}" => index
  }
  database_name = var.create_database ? google_firestore_database.this[0].name : var.database
}

resource "google_firestore_database" "this" {
  count = var.create_database ? 1 : 0

  project                 = var.project_id
  name                    = var.database
  location_id             = var.location_id
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = var.delete_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy         = var.delete_protection ? "ABANDON" : "DELETE"
}

resource "google_firestore_field" "ttl" {
  for_each = local.ttl_fields

  project    = var.project_id
  database   = local.database_name
  collection = each.value.collection
  field      = each.value.field

  ttl_config {}

  # The expiresAt fields are never queried; a monotonically increasing indexed timestamp only adds write hotspots.
  # outbox.sentAt keeps its single-field indexes (the pending-alert query filters on it).
  dynamic "index_config" {
    for_each = each.value.collection == "outbox" ? [] : [1]
    content {}
  }
}

resource "google_firestore_field" "unindexed" {
  for_each = local.unindexed_fields

  project    = var.project_id
  database   = local.database_name
  collection = each.value.collection
  field      = each.value.field

  # An empty index_config removes every single-field index: large maps never queried would otherwise be
  # indexed entry by entry (and count against the 40,000 index entries per document).
  index_config {}
}

resource "google_firestore_index" "composite" {
  for_each = local.composite_indexes

  project    = var.project_id
  database   = local.database_name
  collection = each.value.collection

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value.field
      order      = fields.value.order
    }
  }
}

output "database" {
  description = "Database ID the functions use, once its TTL fields, single-field exemptions and composite indexes exist."
  value       = local.database_name
  # The functions read the database through this: they start only when the queries they run are indexed (a pending
  # alert query before its index fails with FAILED_PRECONDITION, and every delivery of the first apply's events retries).
  depends_on = [google_firestore_field.ttl, google_firestore_field.unindexed, google_firestore_index.composite]
}
