def handle(event, context):
    for record in event["Records"]:
        print(record["body"])
