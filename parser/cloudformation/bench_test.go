package cloudformation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// genTemplate writes a YAML template with n roles of varied kinds, as a
// large stack has them: cross-account roles with intrinsic functions,
// service roles, OIDC roles on a provider of the template, policies written
// as !Sub JSON, roles with Fn::If, and a Lambda function and a bucket
// between the roles.
func genTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString(`AWSTemplateFormatVersion: "2010-09-09"
Description: Generated benchmark stack.
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  PartnerAccount:
    Type: String
  AuditAccount:
    Type: String
    Default: "210987654321"
Mappings:
  Accounts:
    dev: {Ci: "111122223333"}
    prod: {Ci: "444455556666"}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  GitHubProvider:
    Type: AWS::IAM::OIDCProvider
    Properties:
      Url: https://token.actions.githubusercontent.com
      ClientIdList: [sts.amazonaws.com]
`)
	for i := range n {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, `  CrossAccountRole%[1]d:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-cross-%[1]d"
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Partner
            Effect: Allow
            Principal:
              AWS:
                - !Sub "arn:aws:iam::${PartnerAccount}:root"
                - !Ref AuditAccount
                - !Join ["", ["arn:", !Ref AWS::Partition, ":iam::", !FindInMap [Accounts, dev, Ci], ":role/ci-%[1]d"]]
            Action: [sts:AssumeRole, sts:TagSession]
            Condition:
              StringEquals:
                sts:ExternalId: "ext-%[1]d"
`, i)
		case 1:
			fmt.Fprintf(&b, `  ServiceRole%[1]d:
    Type: AWS::IAM::Role
    Properties:
      Path: /service/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: [lambda.amazonaws.com, ec2.amazonaws.com]}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:ListBucket]
                Resource: [!GetAtt Bucket%[1]d.Arn, !Sub "${Bucket%[1]d.Arn}/*"]
  Bucket%[1]d:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-bucket-%[1]d"
      Tags: [{Key: team, Value: data}]
`, i)
		case 2:
			fmt.Fprintf(&b, `  DeployRole%[1]d:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Ref GitHubProvider
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
              StringLike:
                token.actions.githubusercontent.com:sub: "repo:example-org/app-%[1]d:*"
`, i)
		case 3:
			fmt.Fprintf(&b, `  EksRole%[1]d:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/ABCDEF%[1]d"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"oidc.eks.${AWS::Region}.amazonaws.com/id/ABCDEF%[1]d:sub": "system:serviceaccount:app:sa-%[1]d"}}
          }]
        }
`, i)
		case 4:
			fmt.Fprintf(&b, `  StageRole%[1]d:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !If [IsProd, 3600, 43200]
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !If [IsProd, !Sub "arn:aws:iam::${AWS::AccountId}:root", !Sub "arn:aws:iam::${AWS::AccountId}:user/dev-%[1]d"]
            Action: sts:AssumeRole
  Function%[1]d:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt ServiceRole%[2]d.Arn
      Code:
        ZipFile: |
          import json
          def handler(event, context):
              return {"statusCode": 200, "body": json.dumps(event)}
`, i, i-3)
		}
	}
	return []byte(b.String())
}

// BenchmarkParse parses a generated 200-role template.
func BenchmarkParse(b *testing.B) {
	src := genTemplate(200)
	var roles int
	Parser{}.Parse("bench.yaml", src, func(*model.Role) { roles++ })
	if roles != 240 { // the Fn::If roles have two variants
		b.Fatalf("got %d roles", roles)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Parser{}.Parse("bench.yaml", src, func(*model.Role) {})
	}
}

// TestGeneratedTemplate checks the benchmark's template: every role parses
// without diagnostics, with exact ranges.
func TestGeneratedTemplate(t *testing.T) {
	src := genTemplate(200)
	roles, diags := parseAll(t, "bench.yaml", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %q", diags[:min(5, len(diags))])
	}
	if len(roles) != 240 {
		t.Errorf("got %d roles", len(roles))
	}
}
