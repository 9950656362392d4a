# Reference solution: ClusterIP Services and their Endpoints.
# host: master01
kubectl get pods -l app=demoapp -o wide --show-labels
cat services-clusterip-demo.yaml
kubectl apply -f services-clusterip-demo.yaml
kubectl get svc/demoapp-svc
kubectl describe svc/demoapp-svc
kubectl get endpoints demoapp-svc
kubectl scale deployment demoapp --replicas=2
# the removed pod terminates (30s grace period)
sleep 35
kubectl describe svc/demoapp-svc
# host: node01
curl 10.97.72.1
curl 10.97.72.1
curl 10.97.72.1
