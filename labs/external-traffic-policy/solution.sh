# Reference solution: externalTrafficPolicy Cluster vs Local.
# host: node01
kubectl apply -f services-nodeport-demo.yaml
kubectl get pods -o wide
curl 192.168.2.2:31398
curl 192.168.2.2:31398
curl 192.168.2.2:31398
# host: master01
kubectl scale deployment demoapp --replicas=1
sleep 35
kubectl get pods -o wide
curl node01:31398
curl node02:31398
kubectl apply -f services-nodeport-local.yaml
kubectl describe svc demoapp-nodeport-svc
