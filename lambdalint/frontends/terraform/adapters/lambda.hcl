# What a call of terraform-aws-modules/lambda/aws (majors 4 to 8) makes, as lambdalint reads it
# when the module is not installed: lambdalint's own summary of the module's resources
# (https://github.com/terraform-aws-modules/terraform-aws-lambda, main.tf and iam.tf of each
# major), not the module. Defaults are the module's; an input not declared here is not mapped,
# and what the module computes at apply time is unknown. Every position in this file stands for
# the `module` block (module_adapters.py); a value the call passes lands at its argument.
# lambdalint_major is the major the call's `version` constraint chose.

variable "lambdalint_major" {}
variable "known_at_apply" {} # never set: what the module knows only at apply time

# inputs read that change nothing lambdalint checks (how and where the module builds, names
# and tags of what it makes; policy_statements makes the role's policy unknown, below)
variable "artifacts_dir" { default = "builds" }
variable "build_in_docker" { default = false }
variable "create_sam_metadata" { default = false }
variable "hash_extra" { default = "" }
variable "recreate_missing_package" { default = true }
variable "ignore_source_code_hash" { default = false }
variable "s3_prefix" { default = null }
variable "policy_statements" { default = {} }
variable "policy_name" { default = null }
variable "role_description" { default = null }
variable "role_tags" { default = {} }
variable "cloudwatch_logs_tags" { default = {} }

variable "create" { default = true }
variable "putin_khuylo" { default = true }
variable "create_function" { default = true }
variable "create_layer" { default = false }
variable "create_role" { default = true }
variable "create_package" { default = true }
variable "lambda_at_edge" { default = false }

variable "function_name" { default = "" }
variable "description" { default = "" }
variable "handler" { default = "" }
variable "runtime" { default = "" }
variable "memory_size" { default = 128 }
variable "timeout" { default = 3 }
variable "reserved_concurrent_executions" { default = -1 }
variable "publish" { default = false }
variable "snap_start" { default = false }
variable "layers" { default = null }
variable "architectures" { default = null }
variable "package_type" { default = "Zip" }
variable "image_uri" { default = null }
variable "kms_key_arn" { default = null }
variable "code_signing_config_arn" { default = null }
variable "ephemeral_storage_size" { default = 512 }
variable "environment_variables" { default = {} }
variable "dead_letter_target_arn" { default = null }
variable "tracing_mode" { default = null }
variable "vpc_subnet_ids" { default = null }
variable "vpc_security_group_ids" { default = null }
variable "file_system_arn" { default = null }
variable "file_system_local_mount_path" { default = null }
variable "image_config_entry_point" { default = [] }
variable "image_config_command" { default = [] }
variable "image_config_working_directory" { default = null }
variable "logging_log_group" { default = null }
variable "logging_log_format" { default = "Text" }
variable "logging_application_log_level" { default = "INFO" }
variable "logging_system_log_level" { default = "INFO" }
variable "tags" { default = {} }
variable "function_tags" { default = {} }
variable "lambda_role" { default = "" }

variable "source_path" { default = null }
variable "store_on_s3" { default = false }
variable "s3_bucket" { default = null }
variable "local_existing_package" { default = null }
variable "s3_existing_package" {
  type    = object({ bucket = string, key = string, version_id = optional(string) })
  default = null
}

variable "layer_name" { default = "" }
variable "license_info" { default = null }
variable "compatible_runtimes" { default = [] }
variable "compatible_architectures" { default = null }

variable "role_name" { default = null }
variable "role_path" { default = null }
variable "role_permissions_boundary" { default = null }
variable "trusted_entities" { default = [] }
variable "assume_role_policy_statements" { default = {} }
variable "attach_cloudwatch_logs_policy" { default = true }
variable "attach_create_log_group_permission" { default = true }
variable "attach_network_policy" { default = false }
variable "attach_tracing_policy" { default = false }
variable "attach_dead_letter_policy" { default = false }
variable "attach_async_event_policy" { default = false }
variable "attach_policy_json" { default = false }
variable "policy_json" { default = null }
variable "attach_policy_jsons" { default = false }
variable "attach_policy" { default = false }
variable "policy" { default = null }
variable "attach_policies" { default = false }
variable "policies" { default = [] }
variable "number_of_policies" { default = 0 }
variable "attach_policy_statements" { default = false }

variable "use_existing_cloudwatch_log_group" { default = false }
variable "cloudwatch_logs_retention_in_days" { default = null }
variable "cloudwatch_logs_kms_key_id" { default = null }

variable "provisioned_concurrent_executions" { default = -1 }
variable "create_async_event_config" { default = false }
variable "create_current_version_async_event_config" { default = true }
variable "create_unqualified_alias_async_event_config" { default = true }
variable "maximum_event_age_in_seconds" { default = null }
variable "maximum_retry_attempts" { default = null }
variable "destination_on_failure" { default = null }
variable "destination_on_success" { default = null }

variable "create_lambda_function_url" { default = false }
variable "create_unqualified_alias_lambda_function_url" { default = true }
variable "authorization_type" { default = "NONE" }
variable "invoke_mode" { default = null }
variable "cors" { default = {} }

variable "create_current_version_allowed_triggers" { default = true }
variable "create_unqualified_alias_allowed_triggers" { default = true }
variable "allowed_triggers" {
  type = map(object({
    statement_id           = optional(string)
    action                 = optional(string, "lambda:InvokeFunction")
    principal              = optional(string)
    service                = optional(string)
    principal_org_id       = optional(string)
    source_arn             = optional(string)
    source_account         = optional(string)
    event_source_token     = optional(string)
    function_url_auth_type = optional(string)
  }))
  default = {}
}

variable "event_source_mapping" {
  type = map(object({
    event_source_arn                   = optional(string)
    batch_size                         = optional(number)
    maximum_batching_window_in_seconds = optional(number)
    enabled                            = optional(bool, true)
    starting_position                  = optional(string)
    starting_position_timestamp        = optional(string)
    parallelization_factor             = optional(number)
    maximum_retry_attempts             = optional(number)
    maximum_record_age_in_seconds      = optional(number)
    bisect_batch_on_function_error     = optional(bool)
    topics                             = optional(list(string))
    queues                             = optional(list(string))
    function_response_types            = optional(list(string))
    tumbling_window_in_seconds         = optional(number)
    destination_arn_on_failure         = optional(string)
    scaling_config                     = optional(object({ maximum_concurrency = optional(number) }))
    filter_criteria                    = optional(any)
  }))
  default = {}
}

data "aws_partition" "current" {}

locals {
  create          = var.create && var.putin_khuylo
  create_function = local.create && var.create_function && !var.create_layer
  create_layer    = local.create && var.create_layer
  create_role     = local.create_function && var.create_role
  # lambdalint reads source_path itself (module_adapters.package): the folder the module zips
  # when nothing is installed into it, else unknown
  built_package   = var.create_package && !var.store_on_s3 && var.local_existing_package == null
  s3_bucket       = var.s3_existing_package != null ? var.s3_existing_package.bucket : (var.store_on_s3 ? var.s3_bucket : null)
  s3_key          = var.s3_existing_package != null ? var.s3_existing_package.key : (var.store_on_s3 ? var.known_at_apply : null)
  s3_version      = var.s3_existing_package != null ? var.s3_existing_package.version_id : (var.store_on_s3 ? var.known_at_apply : null)
  log_group_name  = var.logging_log_group != null ? var.logging_log_group : "/aws/lambda/${var.lambda_at_edge ? "us-east-1." : ""}${var.function_name}"
  trusted         = [for entity in var.trusted_entities : entity if can(tostring(entity))]
  services        = concat(var.lambda_at_edge ? ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] : ["lambda.amazonaws.com"], local.trusted)
}

resource "aws_lambda_function" "this" {
  count = local.create_function ? 1 : 0

  function_name                  = var.function_name
  description                    = var.description
  role                           = var.create_role ? aws_iam_role.lambda[0].arn : var.lambda_role
  handler                        = var.package_type != "Zip" ? null : var.handler
  runtime                        = var.package_type != "Zip" ? null : var.runtime
  memory_size                    = var.memory_size
  reserved_concurrent_executions = var.reserved_concurrent_executions
  layers                         = var.layers
  timeout                        = var.lambda_at_edge ? min(var.timeout, 30) : var.timeout
  publish                        = var.lambda_at_edge || var.snap_start ? true : var.publish
  kms_key_arn                    = var.kms_key_arn
  image_uri                      = var.image_uri
  package_type                   = var.package_type
  architectures                  = var.architectures
  code_signing_config_arn        = var.code_signing_config_arn

  filename              = var.local_existing_package
  lambdalint_build_from = local.built_package ? var.source_path : null
  s3_bucket             = local.s3_bucket
  s3_key                = local.s3_key
  s3_object_version     = local.s3_version

  dynamic "ephemeral_storage" {
    for_each = var.ephemeral_storage_size == null ? [] : [true]
    content {
      size = var.ephemeral_storage_size
    }
  }
  dynamic "image_config" {
    for_each = length(var.image_config_entry_point) > 0 || length(var.image_config_command) > 0 || var.image_config_working_directory != null ? [true] : []
    content {
      entry_point       = var.image_config_entry_point
      command           = var.image_config_command
      working_directory = var.image_config_working_directory
    }
  }
  dynamic "environment" {
    for_each = length(keys(var.environment_variables)) == 0 ? [] : [true]
    content {
      variables = var.environment_variables
    }
  }
  dynamic "dead_letter_config" {
    for_each = var.dead_letter_target_arn == null ? [] : [true]
    content {
      target_arn = var.dead_letter_target_arn
    }
  }
  dynamic "tracing_config" {
    for_each = var.tracing_mode == null ? [] : [true]
    content {
      mode = var.tracing_mode
    }
  }
  dynamic "vpc_config" {
    for_each = var.vpc_subnet_ids != null && var.vpc_security_group_ids != null ? [true] : []
    content {
      security_group_ids = var.vpc_security_group_ids
      subnet_ids         = var.vpc_subnet_ids
    }
  }
  dynamic "file_system_config" {
    for_each = var.file_system_arn != null && var.file_system_local_mount_path != null ? [true] : []
    content {
      local_mount_path = var.file_system_local_mount_path
      arn              = var.file_system_arn
    }
  }
  dynamic "snap_start" {
    for_each = var.lambdalint_major >= 5 && var.snap_start ? [true] : []
    content {
      apply_on = "PublishedVersions"
    }
  }
  # majors 7 and later, outside GovCloud (the partition is known at apply time)
  dynamic "logging_config" {
    for_each = var.lambdalint_major >= 7 ? (data.aws_partition.current.partition == "aws" ? [true] : []) : []
    content {
      log_group             = var.logging_log_group
      log_format            = var.logging_log_format
      application_log_level = var.logging_log_format == "Text" ? null : var.logging_application_log_level
      system_log_level      = var.logging_log_format == "Text" ? null : var.logging_system_log_level
    }
  }

  tags = merge(var.tags, var.function_tags)
}

resource "aws_lambda_layer_version" "this" {
  count = local.create_layer ? 1 : 0

  layer_name               = var.layer_name
  description              = var.description
  license_info             = var.license_info
  compatible_runtimes      = length(var.compatible_runtimes) > 0 ? var.compatible_runtimes : (var.runtime == "" ? null : [var.runtime])
  compatible_architectures = var.compatible_architectures

  filename              = var.local_existing_package
  lambdalint_build_from = local.built_package ? var.source_path : null
  s3_bucket             = local.s3_bucket
  s3_key                = local.s3_key
  s3_object_version     = local.s3_version
}

resource "aws_cloudwatch_log_group" "lambda" {
  count = local.create_function && !var.use_existing_cloudwatch_log_group ? 1 : 0

  name              = local.log_group_name
  retention_in_days = var.cloudwatch_logs_retention_in_days
  kms_key_id        = var.cloudwatch_logs_kms_key_id
  tags              = var.tags
}

data "aws_iam_policy_document" "assume_role" {
  count = local.create_role ? 1 : 0

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = local.services
    }
  }
}

resource "aws_iam_role" "lambda" {
  count = local.create_role ? 1 : 0

  name                 = coalesce(var.role_name, var.function_name, "*")
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  # principals of other types and extra statements: not summarised here
  assume_role_policy = length(local.trusted) == length(var.trusted_entities) && length(var.assume_role_policy_statements) == 0 ? data.aws_iam_policy_document.assume_role[0].json : var.known_at_apply
  tags               = var.tags
}

data "aws_iam_policy_document" "logs" {
  count = local.create_role && var.attach_cloudwatch_logs_policy ? 1 : 0

  statement {
    effect    = "Allow"
    actions   = compact([!var.use_existing_cloudwatch_log_group && var.attach_create_log_group_permission ? "logs:CreateLogGroup" : "", "logs:CreateLogStream", "logs:PutLogEvents"])
    # an existing or Lambda@Edge log group's ARN is known at apply time only
    resources = var.lambda_at_edge || var.use_existing_cloudwatch_log_group ? var.known_at_apply : ["${aws_cloudwatch_log_group.lambda[0].arn}:*", "${aws_cloudwatch_log_group.lambda[0].arn}:*:*"]
  }
}

resource "aws_iam_role_policy" "logs" {
  count = local.create_role && var.attach_cloudwatch_logs_policy ? 1 : 0

  role   = aws_iam_role.lambda[0].name
  policy = data.aws_iam_policy_document.logs[0].json
}

# the module's own policies for VPC, X-Ray, dead letters and async destinations, and the
# statements it writes from policy_statements: their text is not summarised here
resource "aws_iam_role_policy" "not_summarised" {
  count = local.create_role && (var.attach_network_policy || var.attach_tracing_policy || var.attach_dead_letter_policy || var.attach_async_event_policy || var.attach_policy_statements || var.attach_policy_jsons) ? 1 : 0

  role   = aws_iam_role.lambda[0].name
  policy = var.known_at_apply
}

resource "aws_iam_role_policy" "additional_json" {
  count = local.create_role && var.attach_policy_json ? 1 : 0

  role   = aws_iam_role.lambda[0].name
  policy = var.policy_json
}

resource "aws_iam_role_policy_attachment" "additional_one" {
  count = local.create_role && var.attach_policy ? 1 : 0

  role       = aws_iam_role.lambda[0].name
  policy_arn = var.policy
}

resource "aws_iam_role_policy_attachment" "additional_many" {
  count = local.create_role && var.attach_policies ? var.number_of_policies : 0

  role       = aws_iam_role.lambda[0].name
  policy_arn = var.policies[count.index]
}

resource "aws_lambda_provisioned_concurrency_config" "current_version" {
  count = local.create_function && var.provisioned_concurrent_executions > -1 ? 1 : 0

  function_name                     = aws_lambda_function.this[0].function_name
  qualifier                         = aws_lambda_function.this[0].version
  provisioned_concurrent_executions = var.provisioned_concurrent_executions
}

resource "aws_lambda_function_event_invoke_config" "this" {
  for_each = local.create_function && var.create_async_event_config ? { for name, wanted in { current_version = var.create_current_version_async_event_config, unqualified_alias = var.create_unqualified_alias_async_event_config } : name => name if wanted } : {}

  function_name                = aws_lambda_function.this[0].function_name
  qualifier                    = each.key == "current_version" ? aws_lambda_function.this[0].version : null
  maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
  maximum_retry_attempts       = var.maximum_retry_attempts

  dynamic "destination_config" {
    for_each = var.destination_on_failure != null || var.destination_on_success != null ? [true] : []
    content {
      dynamic "on_failure" {
        for_each = var.destination_on_failure != null ? [true] : []
        content {
          destination = var.destination_on_failure
        }
      }
      dynamic "on_success" {
        for_each = var.destination_on_success != null ? [true] : []
        content {
          destination = var.destination_on_success
        }
      }
    }
  }
}

resource "aws_lambda_permission" "current_version_triggers" {
  for_each = local.create_function && var.create_current_version_allowed_triggers ? var.allowed_triggers : {}

  function_name          = aws_lambda_function.this[0].function_name
  qualifier              = aws_lambda_function.this[0].version
  statement_id_prefix    = each.value.statement_id != null ? each.value.statement_id : each.key
  action                 = each.value.action
  principal              = each.value.principal != null ? each.value.principal : "${each.value.service}.amazonaws.com"
  principal_org_id       = each.value.principal_org_id
  source_arn             = each.value.source_arn
  source_account         = each.value.source_account
  event_source_token     = each.value.event_source_token
  function_url_auth_type = each.value.function_url_auth_type
}

resource "aws_lambda_permission" "unqualified_alias_triggers" {
  for_each = local.create_function && var.create_unqualified_alias_allowed_triggers ? var.allowed_triggers : {}

  function_name          = aws_lambda_function.this[0].function_name
  statement_id_prefix    = each.value.statement_id != null ? each.value.statement_id : each.key
  action                 = each.value.action
  principal              = each.value.principal != null ? each.value.principal : "${each.value.service}.amazonaws.com"
  principal_org_id       = each.value.principal_org_id
  source_arn             = each.value.source_arn
  source_account         = each.value.source_account
  event_source_token     = each.value.event_source_token
  function_url_auth_type = each.value.function_url_auth_type
}

resource "aws_lambda_event_source_mapping" "this" {
  for_each = local.create_function && var.create_unqualified_alias_allowed_triggers ? var.event_source_mapping : {}

  function_name                      = aws_lambda_function.this[0].arn
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
  tumbling_window_in_seconds         = each.value.tumbling_window_in_seconds

  dynamic "destination_config" {
    for_each = each.value.destination_arn_on_failure != null ? [true] : []
    content {
      on_failure {
        destination_arn = each.value.destination_arn_on_failure
      }
    }
  }
  dynamic "scaling_config" {
    for_each = each.value.scaling_config != null ? [true] : []
    content {
      maximum_concurrency = each.value.scaling_config.maximum_concurrency
    }
  }
  dynamic "filter_criteria" {
    for_each = each.value.filter_criteria != null ? [true] : []
    content {
      dynamic "filter" {
        for_each = flatten([each.value.filter_criteria])
        content {
          pattern = filter.value.pattern
        }
      }
    }
  }
}

resource "aws_lambda_function_url" "this" {
  count = local.create_function && var.create_lambda_function_url ? 1 : 0

  function_name      = aws_lambda_function.this[0].function_name
  qualifier          = var.create_unqualified_alias_lambda_function_url ? null : aws_lambda_function.this[0].version
  authorization_type = var.authorization_type
  invoke_mode        = var.invoke_mode

  dynamic "cors" {
    for_each = length(keys(var.cors)) == 0 ? [] : [var.cors]
    content {
      allow_credentials = lookup(cors.value, "allow_credentials", null)
      allow_headers     = lookup(cors.value, "allow_headers", null)
      allow_methods     = lookup(cors.value, "allow_methods", null)
      allow_origins     = lookup(cors.value, "allow_origins", null)
      expose_headers    = lookup(cors.value, "expose_headers", null)
      max_age           = lookup(cors.value, "max_age", null)
    }
  }
}

# the outputs: `try(x[0].arn, "")` in the module, written with the condition of x's count so
# that a known condition gives the reference itself
output "lambda_function_arn" { value = local.create_function ? aws_lambda_function.this[0].arn : "" }
output "lambda_function_name" { value = local.create_function ? aws_lambda_function.this[0].function_name : "" }
output "lambda_function_qualified_arn" { value = local.create_function ? aws_lambda_function.this[0].qualified_arn : "" }
output "lambda_function_version" { value = local.create_function ? aws_lambda_function.this[0].version : "" }
output "lambda_function_invoke_arn" { value = local.create_function ? aws_lambda_function.this[0].invoke_arn : "" }
output "lambda_function_qualified_invoke_arn" { value = local.create_function ? aws_lambda_function.this[0].qualified_invoke_arn : "" }
output "lambda_function_url" { value = local.create_function && var.create_lambda_function_url ? aws_lambda_function_url.this[0].function_url : "" }
output "lambda_layer_arn" { value = local.create_layer ? aws_lambda_layer_version.this[0].arn : "" }
output "lambda_layer_layer_arn" { value = local.create_layer ? aws_lambda_layer_version.this[0].layer_arn : "" }
output "lambda_layer_version" { value = local.create_layer ? aws_lambda_layer_version.this[0].version : "" }
output "lambda_role_arn" { value = local.create_role ? aws_iam_role.lambda[0].arn : "" }
output "lambda_role_name" { value = local.create_role ? aws_iam_role.lambda[0].name : "" }
output "lambda_cloudwatch_log_group_arn" { value = local.create_function && !var.use_existing_cloudwatch_log_group ? aws_cloudwatch_log_group.lambda[0].arn : var.known_at_apply }
output "lambda_cloudwatch_log_group_name" { value = local.create_function && !var.use_existing_cloudwatch_log_group ? aws_cloudwatch_log_group.lambda[0].name : local.log_group_name }
