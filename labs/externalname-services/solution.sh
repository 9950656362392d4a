# Reference solution: ExternalName Services.
cat services-externalname-demo.yaml
kubectl apply -f services-externalname-demo.yaml
kubectl get svc external-www
kubectl get endpoints external-www
kubectl get pods -l app=client
kubectl exec deploy/client -- nslookup external-www
kubectl exec deploy/client -- curl -s external-www
