"""Small templates shared by several test modules."""

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
