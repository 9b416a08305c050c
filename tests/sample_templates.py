"""Small templates shared by several test modules, and the one way they make a model of one."""

import textwrap

from lambdalint.loading import load_text
from lambdalint.model import TemplateModel


def model_of(text: str) -> TemplateModel:
    """The model of a template written indented in a test (dedented first)."""
    return TemplateModel(load_text(textwrap.dedent(text), "t.yaml"))


# With --select LL0,LL2: LL2002 (error) on line 13, LL0003 (warning) and LL2005 (error) on line 16.
TIMEOUT_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Seconds: {Type: Number, Default: 1800}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k}
      MemorySize: 256
      Timeout: !Ref Seconds
      Environment:
        Variables:
          X: !Ref Missing
"""
