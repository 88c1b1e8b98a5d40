def test_openapi_matches_the_routes(app, client):
    doc = client.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    served = {(rule.rule, method) for rule in app.url_map.iter_rules() if rule.endpoint != "page.static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served


def test_openapi_limits_follow_settings(make_app):
    doc = make_app(max_batch=7, max_text_chars=99).test_client().get("/openapi.json").get_json()
    batch = doc["paths"]["/v1/predict/batch"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert batch["properties"]["items"]["maxItems"] == 7
    assert batch["properties"]["items"]["items"]["properties"]["text"]["maxLength"] == 99
