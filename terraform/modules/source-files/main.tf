# The compiled files the functions' source archive carries, chosen from the repository's dist/.
# Provider-free on purpose: the tests evaluate it with `terraform console` against the build, and walk every module
# the functions can load (dynamic imports included) to check none is left out.

variable "source_root" {
  description = "Repository root holding dist/ (after `npm ci && npm run build`)."
  type        = string
}

locals {
  # dist/package.json is what dist/src/version.js imports (`../package.json`, with type json): the probe and the
  # CLI name their version from it. Without it a policy with the probe on fails every invocation at composition.
  files = sort(setunion(
    fileset(var.source_root, "dist/functions/**/*.js"),
    fileset(var.source_root, "dist/src/**/*.{js,json}"),
    fileset(var.source_root, "dist/package.json"),
  ))
}

output "files" {
  description = "Paths relative to source_root, sorted."
  value       = local.files
}
