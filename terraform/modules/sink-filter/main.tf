# The Log Router filter for the audit sink, built from the method families the event parser handles.
# Provider-free on purpose: the tests evaluate it with `terraform console` without downloading anything.

variable "handled_methods_file" {
  description = "Path to src/events/handled-methods.json, the list the event parser also reads (so the two cannot drift apart)."
  type        = string
}

variable "include_first_entries" {
  description = "Also route the `first` entry of each long-running Compute operation. Doubles the volume; the parser acts on a Compute operation's `last` entry (or entries without an operation) only, so leave it off. API Gateway entries are routed first and last either way: the parser acts on each."
  type        = bool
  default     = false
}

locals {
  handled = jsondecode(file(var.handled_methods_file))

  # `:` is the has/substring operator: one clause covers the v1., beta. and alpha. prefixes of a family.
  compute_clauses     = [for family in local.handled.compute : "protoPayload.methodName:\"${family}.\""]
  api_gateway_clauses = [for service in local.handled.apigateway : "protoPayload.methodName:\"${service}.\""]

  filter = join("\n", compact([
    "logName:\"cloudaudit.googleapis.com%2Factivity\"",
    "AND (",
    "  (protoPayload.serviceName=\"compute.googleapis.com\" AND (${join(" OR ", local.compute_clauses)}))",
    "  OR (protoPayload.serviceName=\"apigateway.googleapis.com\" AND (${join(" OR ", local.api_gateway_clauses)}))",
    ")",
    var.include_first_entries ? "" : "AND (operation.last=true OR NOT operation.id:* OR protoPayload.serviceName=\"apigateway.googleapis.com\")",
  ]))
}

output "filter" {
  description = "Logging query selecting the Admin Activity audit entries of exactly the handled methods."
  value       = local.filter
}
