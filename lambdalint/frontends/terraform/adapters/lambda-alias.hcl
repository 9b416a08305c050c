# What a call of terraform-aws-modules/lambda/aws//modules/alias (majors 4 to 8) makes, as
# lambdalint reads it when the module is not installed: lambdalint's own summary of the
# submodule's resources (https://github.com/terraform-aws-modules/terraform-aws-lambda,
# modules/alias/main.tf of each major), not the module. Defaults are the module's; an input not
# declared here is not mapped. Every position in this file stands for the `module` block.

variable "lambdalint_major" {}
variable "known_at_apply" {} # never set: what the module knows only at apply time

variable "create" { default = true }
variable "use_existing_alias" { default = false }
variable "refresh_alias" { default = true }
variable "name" { default = "" }
variable "description" { default = "" }
variable "function_name" { default = "" }
variable "function_version" { default = "" }
variable "routing_additional_version_weights" { default = {} }

variable "create_version_allowed_triggers" { default = true }
variable "create_qualified_alias_allowed_triggers" { default = true }
variable "allowed_triggers" {
  type = map(object({
    statement_id       = optional(string)
    action             = optional(string, "lambda:InvokeFunction")
    principal          = optional(string)
    service            = optional(string)
    principal_org_id   = optional(string)
    source_arn         = optional(string)
    source_account     = optional(string)
    event_source_token = optional(string)
  }))
  default = {}
}

variable "event_source_mapping" {
  type = map(object({
    event_source_arn                   = optional(string)
    batch_size                         = optional(number)
    maximum_batching_window_in_seconds = optional(number)
    enabled                            = optional(bool)
    starting_position                  = optional(string)
    starting_position_timestamp        = optional(string)
    parallelization_factor             = optional(number)
    maximum_retry_attempts             = optional(number)
    maximum_record_age_in_seconds      = optional(number)
    bisect_batch_on_function_error     = optional(bool)
    topics                             = optional(list(string))
    queues                             = optional(list(string))
    function_response_types            = optional(list(string))
    destination_arn_on_failure         = optional(string)
  }))
  default = {}
}

locals {
  create = var.create && !var.use_existing_alias
  # the alias made (`try(with_refresh[0], no_refresh[0])` in the module), known when its condition is
  made = local.create ? (var.refresh_alias ? aws_lambda_alias.with_refresh[0] : aws_lambda_alias.no_refresh[0]) : null
}

resource "aws_lambda_alias" "no_refresh" {
  count = local.create && !var.refresh_alias ? 1 : 0

  name             = var.name
  description      = var.description
  function_name    = var.function_name
  function_version = var.function_version != "" ? var.function_version : "$LATEST"

  dynamic "routing_config" {
    for_each = length(keys(var.routing_additional_version_weights)) == 0 ? [] : [true]
    content {
      additional_version_weights = var.routing_additional_version_weights
    }
  }
}

resource "aws_lambda_alias" "with_refresh" {
  count = local.create && var.refresh_alias ? 1 : 0

  name             = var.name
  description      = var.description
  function_name    = var.function_name
  function_version = var.function_version != "" ? var.function_version : "$LATEST"

  dynamic "routing_config" {
    for_each = length(keys(var.routing_additional_version_weights)) == 0 ? [] : [true]
    content {
      additional_version_weights = var.routing_additional_version_weights
    }
  }
}

resource "aws_lambda_permission" "version_triggers" {
  for_each = var.create && var.create_version_allowed_triggers ? var.allowed_triggers : {}

  function_name      = var.function_name
  qualifier          = var.known_at_apply # the alias's version, unless it is $LATEST
  statement_id       = each.value.statement_id != null ? each.value.statement_id : each.key
  action             = each.value.action
  principal          = each.value.principal != null ? each.value.principal : "${each.value.service}.amazonaws.com"
  principal_org_id   = each.value.principal_org_id
  source_arn         = each.value.source_arn
  source_account     = each.value.source_account
  event_source_token = each.value.event_source_token
}

resource "aws_lambda_permission" "qualified_alias_triggers" {
  for_each = var.create && var.create_qualified_alias_allowed_triggers ? var.allowed_triggers : {}

  function_name      = var.function_name
  qualifier          = var.name
  statement_id       = each.value.statement_id != null ? each.value.statement_id : each.key
  action             = each.value.action
  principal          = each.value.principal != null ? each.value.principal : "${each.value.service}.amazonaws.com"
  principal_org_id   = each.value.principal_org_id
  source_arn         = each.value.source_arn
  source_account     = each.value.source_account
  event_source_token = each.value.event_source_token
}

resource "aws_lambda_event_source_mapping" "this" {
  for_each = var.create ? var.event_source_mapping : {}

  function_name                      = local.create ? local.made.arn : var.known_at_apply
  event_source_arn                   = each.value.event_source_arn
  batch_size                         = each.value.batch_size
  maximum_batching_window_in_seconds = each.value.maximum_batching_window_in_seconds
  enabled                            = each.value.enabled
  starting_position                  = each.value.starting_position
  starting_position_timestamp        = each.value.starting_position_timestamp
  parallelization_factor             = each.value.parallelization_factor
  maximum_retry_attempts             = each.value.maximum_retry_attempts
  maximum_record_age_in_seconds      = each.value.maximum_record_age_in_seconds
  bisect_batch_on_function_error     = each.value.bisect_batch_on_function_error
  topics                             = each.value.topics
  queues                             = each.value.queues
  function_response_types            = each.value.function_response_types

  dynamic "destination_config" {
    for_each = each.value.destination_arn_on_failure != null ? [true] : []
    content {
      on_failure {
        destination_arn = each.value.destination_arn_on_failure
      }
    }
  }
}

output "lambda_alias_name" { value = var.create ? var.name : "" }
output "lambda_alias_arn" { value = local.create ? local.made.arn : (var.create ? var.known_at_apply : "") }
output "lambda_alias_invoke_arn" { value = local.create ? local.made.invoke_arn : (var.create ? var.known_at_apply : "") }
output "lambda_alias_function_version" { value = local.create ? local.made.function_version : (var.create ? var.known_at_apply : "") }
