# Reference solution: readiness probes and NotReadyAddresses.
# host: node01
cat services-readiness-demo.yaml
kubectl apply -f services-readiness-demo.yaml
kubectl get pods -l app=demoapp-with-readiness
sleep 30
kubectl get pods -l app=demoapp-with-readiness
kubectl describe svc/services-readiness-demo
curl -X POST -d 'readyz=FAIL' 10.98.48.27/readyz
sleep 30
kubectl get pods -l app=demoapp-with-readiness
kubectl describe ep services-readiness-demo
curl 10.98.48.27
curl 10.98.48.27
