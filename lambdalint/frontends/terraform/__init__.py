"""Terraform / OpenTofu configurations as lambdalint reads them (DESIGN.md "Front ends").

Data flows one way, each step in a module of its own:

    .tf / .tf.json / .tofu files of a folder (a module)
      -> hcl: parsed with tree-sitter-hcl, every attribute with its file, line and column
      -> evaluate: variables, locals, count/for_each, dynamic blocks, modules expanded,
         what cannot be known is UNKNOWN (lambdalint.model.values), never guessed
      -> configuration.Configuration: the evaluated blocks, named by address
      -> lower: a CloudFormation-shaped template the model reads, with each resource's
         address and the place of each property, so findings land at the `.tf` line

tree-sitter and its grammar are imported only when a Terraform input is found, so the
start-up of a CloudFormation run does not change.
"""
