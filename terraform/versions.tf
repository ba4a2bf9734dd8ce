# Provider and Terraform versions the Gatewarden deployment is written for.

terraform {
  # 1.11: write-only arguments (secret_data_wo) and ephemeral resources keep the signing key out of state.
  required_version = ">= 1.11"

  required_providers {
    google = {
      source = "hashicorp/google"
      # secret_data_wo arrived in 6.23; written and checked against the 7.x documentation.
      version = ">= 7.0, < 8"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4"
    }
    time = {
      source  = "hashicorp/time"
      version = ">= 0.9"
    }
    random = {
      source = "hashicorp/random"
      # The ephemeral random_password (3.7.1).
      version = ">= 3.7.1"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
