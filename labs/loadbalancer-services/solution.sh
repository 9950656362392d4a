# Reference solution: LoadBalancer Services.
# host: node01
cat services-loadbalancer-demo.yaml
kubectl apply -f services-loadbalancer-demo.yaml
kubectl get svc demoapp-loadbalancer-svc
kubectl describe svc demoapp-loadbalancer-svc
kubectl expose deployment demoapp --name=demoapp-lb --type=LoadBalancer --port=80 --target-port=80
kubectl get svc demoapp-lb
