"""The swap an operator would otherwise write: the Python baseline of BENCHMARKS.md.

A CodePipeline Invoke action's Lambda handler in the few dozen lines of the 2017 reference architecture's
blue/green swap, with boto3: find the load balancer named in UserParameters ({"ElbName": ...}), take the live
(443, else 80) and test (8443, else 8080) listeners, point every forward of the live listener (default action and
rules) at the test listener's target group and the other way round, flip the IsProduction tags, and report the
job to CodePipeline. No idempotency record, no read-back, no restore on failure: the Java function does more.

Run as a cold process (what the benchmark times): the event on stdin, the handler's answer on stdout.
Endpoints come from boto3's own AWS_ENDPOINT_URL_<SERVICE> variables.
"""
import json
import sys

import boto3


def handler(event, context=None):
    job = event["CodePipeline.job"]
    job_id = job["id"]
    pipeline = boto3.client("codepipeline")
    try:
        params = json.loads(job["data"]["actionConfiguration"]["configuration"]["UserParameters"])
        summary = swap(boto3.client("elbv2"), params["ElbName"])
    except Exception as error:  # report every failure: the pipeline waits for it otherwise
        pipeline.put_job_failure_result(
            jobId=job_id, failureDetails={"type": "JobFailed", "message": str(error)[:5000]})
        raise
    pipeline.put_job_success_result(jobId=job_id, executionDetails={"summary": summary})
    return {"jobId": job_id, "result": "succeeded", "summary": summary}


def swap(elb, name):
    lb = elb.describe_load_balancers(Names=[name])["LoadBalancers"][0]
    listeners = {l["Port"]: l for l in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]}
    live = listeners[443 if 443 in listeners else 80]
    test = listeners[8443 if 8443 in listeners else 8080]
    blue = forwarded(live["DefaultActions"])
    green = forwarded(test["DefaultActions"])
    health = elb.describe_target_health(TargetGroupArn=green)["TargetHealthDescriptions"]
    if not any(t["TargetHealth"]["State"] == "healthy" for t in health):
        raise RuntimeError("green has no healthy target")
    for listener, old, new in ((live, blue, green), (test, green, blue)):
        elb.modify_listener(ListenerArn=listener["ListenerArn"],
                            DefaultActions=retarget(listener["DefaultActions"], old, new))
        for page in elb.get_paginator("describe_rules").paginate(ListenerArn=listener["ListenerArn"]):
            for rule in page["Rules"]:
                if not rule["IsDefault"] and forwarded(rule["Actions"]) == old:
                    elb.modify_rule(RuleArn=rule["RuleArn"], Actions=retarget(rule["Actions"], old, new))
    elb.add_tags(ResourceArns=[green], Tags=[{"Key": "IsProduction", "Value": "true"}])
    elb.add_tags(ResourceArns=[blue], Tags=[{"Key": "IsProduction", "Value": "false"}])
    return "live :%d -> %s; test :%d -> %s" % (live["Port"], green, test["Port"], blue)


def forwarded(actions):
    for action in actions:
        if action["Type"] == "forward":
            groups = action.get("ForwardConfig", {}).get("TargetGroups")
            if groups:
                return max(groups, key=lambda g: g.get("Weight", 1))["TargetGroupArn"]
            return action["TargetGroupArn"]
    return None


def retarget(actions, old, new):
    result = []
    for action in actions:
        action = {k: v for k, v in action.items() if k != "ForwardConfig" or v.get("TargetGroups")}
        if action["Type"] == "forward":
            if action.get("TargetGroupArn") == old:
                action["TargetGroupArn"] = new
            if "ForwardConfig" in action:
                config = dict(action["ForwardConfig"])
                config["TargetGroups"] = [dict(g, TargetGroupArn=new if g["TargetGroupArn"] == old else g["TargetGroupArn"])
                                          for g in config["TargetGroups"]]
                action["ForwardConfig"] = config
        result.append(action)
    return result


if __name__ == "__main__":
    print(json.dumps(handler(json.load(sys.stdin))))
