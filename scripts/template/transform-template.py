"""Print a SAM template as CloudFormation will deploy it: the SAM transform applied offline.

Usage: python scripts/template/transform-template.py [template.yaml]
Needs the aws-sam-translator package, which the AWS SAM CLI installs (.ci/run uses the SAM CLI's
Python). No AWS call is made: managed policies are resolved by name to their well-known ARNs.
"""

import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class OfflineManagedPolicyLoader:
    """Resolves a managed policy name to its ARN without asking IAM (the translator asks only for AWS-managed ones)."""

    def load(self):
        return {}


def main() -> None:
    # The translator builds ARNs for a partition, which it derives from the region.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    path = sys.argv[1] if len(sys.argv) > 1 else "template.yaml"
    with open(path, encoding="utf-8") as template:
        fragment = yaml_parse(template.read())
    # Deployment replaces each local CodeUri with the S3 object `sam deploy` uploads; a placeholder stands
    # in for it here, as `sam validate` does. It changes nothing else the transform produces.
    for logical_id, resource in fragment.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://placeholder-bucket/{logical_id}.zip"
    print(json.dumps(transform(fragment, {}, OfflineManagedPolicyLoader()), indent=2, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
