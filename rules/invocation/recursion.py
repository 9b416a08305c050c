"""LL6 recursion: a function that may trigger itself again (`lambdalint.model.recursion`)."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.events import sources_of
from lambdalint.model.recursion import may_invoke_itself, write_back
from lambdalint.model.roles import execution_role
from lambdalint.registry import rule

RECURSION = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html"


@rule(id="LL6009", name="recursive-invocation-loop", severity=Severity.WARNING,
      summary="Function may write to the bucket, queue or topic that triggers it", source=RECURSION)


def check_recursion(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a function triggered by an S3 bucket of the template whose execution role surely
    allows `s3:PutObject` on any object of that bucket while the notification has no prefix
    or suffix filter; the same for an SQS queue (`sqs:SendMessage`, no `FilterCriteria`) or
    SNS topic (`sns:Publish`, no `FilterPolicy`) that triggers it; and a function whose role
    may invoke the function itself. The grant must name the bucket, queue, topic or function:
    a grant on every resource (`sqs:*` on `*` from `AmazonSQSFullAccess`) says nothing about
    where the function writes, so it is not counted.
    Nothing is reported when a permission is only possible (conditions, unreadable policies,
    roles outside the template).

    ## Why is this bad?
    Every object (or message) the function writes triggers it again: a loop that runs up
    costs until Lambda's recursion detection or a quota stops it.

    ## Example
    ```yaml
    Resizer:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - S3CrudPolicy: {BucketName: !Ref Images}
        Events:
          Upload:
            Type: S3
            Properties: {Bucket: !Ref Images, Events: s3:ObjectCreated:*}
    ```
    Use instead:
    ```yaml
    Resizer:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - S3CrudPolicy: {BucketName: !Ref Images}
        Events:
          Upload:
            Type: S3
            Properties:
              Bucket: !Ref Images
              Events: s3:ObjectCreated:*
              Filter:
                S3Key:
                  Rules: [{Name: prefix, Value: incoming/}]   # and write to processed/
    ```
    """
    for function in model.functions:
        role = execution_role(model, function)
        if role is None:
            continue
        for source in sources_of(model, function):
            loop = write_back(model, source)
            if loop is not None and loop.surely_allowed_by(role):
                yield source.hit(f"recursive loop: {loop.what} invokes {function.logical_id}, whose role may "
                                 f"{loop.action} to it, and nothing keeps its own output from triggering it again")
        if may_invoke_itself(role, function):
            yield function.hit(f"recursive loop: the role of {function.logical_id} may lambda:InvokeFunction the "
                               f"function itself")
